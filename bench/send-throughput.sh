#!/usr/bin/env bash
# Send throughput of the tool against the raw pipe `btrfs send S | btrfs receive T`, on two
# loop-mounted btrfs images in RAM (/dev/shm), about 1 GiB of incompressible data. Prints each
# round, the median ratio tool/raw of wall time, and the size of an incremental after a 2% change
# against the full send. Needs root and btrfs-progs. Usage: sudo bench/send-throughput.sh [ROUNDS] [MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
size_mib=${2:-1024}

work=$(mktemp -d /dev/shm/btrfsbackup-bench-XXXXXX)
cleanup() {
  for m in "$work/target" "$work/source"; do mountpoint -q "$m" && umount "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for fs in source target; do
  truncate -s $((size_mib * 3))M "$work/$fs.img"
  mkfs.btrfs -q "$work/$fs.img"
  mkdir "$work/$fs"
  mount -o loop "$work/$fs.img" "$work/$fs"
done

btrfs subvolume create "$work/source/data" >/dev/null
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/source/data/payload.bin"
btrfs subvolume snapshot -r "$work/source/data" "$work/source/full" >/dev/null
# Rewrite 2% of the payload in place, spread over the file, then snapshot again.
chunks=$((size_mib * 2 / 100 * 4))   # 256 KiB chunks amounting to 2% of the data
for i in $(seq 0 $((chunks - 1))); do
  dd if=/dev/urandom of="$work/source/data/payload.bin" bs=256K count=1 seek=$((i * 50)) conv=notrunc status=none
done
btrfs subvolume snapshot -r "$work/source/data" "$work/source/changed" >/dev/null
sync

dotnet build bench/SendThroughput -c Release --nologo -v q >/dev/null
dotnet bench/SendThroughput/bin/Release/net10.0/SendThroughput.dll \
  "$work/source/full" "$work/source/changed" "$work/target" "$rounds"
