# Sourced by the benches: the btrfsbackup program as a system install runs it, compiled to native
# code (Native AOT, as contrib/install.sh does) into "$work/program"; sets $program. Needs $work (the
# bench's private folder) and the repository as the current folder.
# Its own build folders (as install.sh), so that a test run in this checkout meanwhile is not disturbed.
dotnet publish src/BtrfsBackup.Cli -c Release -r linux-x64 --artifacts-path "$work/build" -o "$work/program" --nologo -v q >/dev/null
program=$work/program/btrfsbackup
