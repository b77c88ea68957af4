#!/usr/bin/env bash
# Start-up cost of `dotnet cake --target=nightly` when there is nothing to do (a dry run over one
# pair on loop-mounted images), with Cake's script cache warm: median wall time of several runs,
# next to `dotnet cake --version` (the cost of starting Cake at all). Needs root and btrfs-progs.
# Usage: sudo bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}

work=$(mktemp -d /dev/shm/btrfsbackup-startup-XXXXXX)
cleanup() { mountpoint -q "$work/fs" && umount "$work/fs"; rm -rf "$work"; }
trap cleanup EXIT INT TERM
truncate -s 256M "$work/fs.img"
mkfs.btrfs -q "$work/fs.img"
mkdir "$work/fs"
mount -o loop "$work/fs.img" "$work/fs"
btrfs subvolume create "$work/fs/home" >/dev/null
cat > "$work/config.toml" <<TOML
[run]
history_file = "$work/history.jsonl"   # the run history stays in the bench's folder

[pairs.home]
source = "$work/fs/home"
snapshot_dir = "$work/fs/.snapshots/home"
TOML

dotnet tool restore >/dev/null
dotnet build src/BtrfsBackup.Tasks -c Release --nologo -v q >/dev/null
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }'; }

# One run to fill the cache, then the timed ones.
dotnet cake build.cake --target=nightly --dryrun --config="$work/config.toml" >/dev/null
nightly=$(for _ in $(seq "$runs"); do timed dotnet cake build.cake --target=nightly --dryrun --config="$work/config.toml"; done | median)
version=$(for _ in $(seq "$runs"); do timed dotnet cake --version; done | median)
cold=$(timed dotnet cake build.cake --target=nightly --dryrun --invalidate-script-cache --config="$work/config.toml")
echo "nightly with nothing to do, warm script cache: median ${nightly} s over ${runs} runs"
echo "dotnet cake --version (Cake's own start-up):  median ${version} s"
echo "nightly with the script cache invalidated:    ${cold} s"
