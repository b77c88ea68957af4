# Sourced by the benches: the btrfsbackup program as a system install runs it, published
# ReadyToRun for linux-x64 (code compiled ahead, so start-up does not wait for the JIT), into
# "$work/program"; sets $program. Needs $work (the bench's private folder) and the repository as
# the current folder.
dotnet publish src/BtrfsBackup.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/program" --nologo -v q >/dev/null
program=$work/program/btrfsbackup
