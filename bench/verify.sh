#!/usr/bin/env bash
# verify against rsync's checksum comparison on the same data: about 1 GiB (64 files of 12 MiB and
# 16384 files of 16 KiB, incompressible) in a snapshot and its full backup, on two loop-mounted
# btrfs images in RAM (/dev/shm). Alternates `btrfsbackup verify` (content: tree and every file's
# checksum, both sides read at once; start-up and scan included) with `rsync -naXAHc --delete SRC/ DST/`,
# prints each round, the load average before and after, and the median ratio verify/rsync of wall
# time (goal: at most 1.0) and of CPU time. Needs root, btrfs-progs and rsync.
# Usage: sudo bench/verify.sh [ROUNDS]
set -euo pipefail
trap 'echo "bench/verify.sh: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
rounds=${1:-6}

work=$(mktemp -d /dev/shm/btrfsbackup-verify-XXXXXX)
cleanup() {
  for m in "$work/target" "$work/source"; do mountpoint -q "$m" && umount "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for fs in source target; do
  truncate -s 3G "$work/$fs.img"
  mkfs.btrfs -q "$work/$fs.img"
  mkdir "$work/$fs"
  mount -o loop "$work/$fs.img" "$work/$fs"
done

btrfs subvolume create "$work/source/data" >/dev/null
python3 - "$work/source/data" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(64):
    with open(os.path.join(root, f"big-{i:02d}.bin"), "wb") as f:
        f.write(os.urandom(12 << 20))
for d in range(64):
    folder = os.path.join(root, "small", f"{d:02d}")
    os.makedirs(folder)
    for i in range(256):
        with open(os.path.join(folder, f"{i:03d}.dat"), "wb") as f:
            f.write(os.urandom(16 << 10))
PY
mkdir -p "$work/target/backup"
# The run history goes into the work folder, not the machine's /var/lib/btrfsbackup.
cat > "$work/config.toml" <<TOML
[run]
history_file = "$work/history.jsonl"

[pairs.data]
source = "$work/source/data"
snapshot_dir = "$work/source/.snapshots"
target = "$work/target/backup"
TOML

# shellcheck source=bench/lib/installed-program.sh
source bench/lib/installed-program.sh
export BTRFSBACKUP_RUNTIME_DIR="$work/runtime"
"$program" nightly --config="$work/config.toml" >/dev/null
snapshot=$(ls -d "$work"/source/.snapshots/*)
backup="$work/target/backup/$(basename "$snapshot")"
echo "data: $(du -sh --apparent-size "$snapshot" | cut -f1) in $(find "$snapshot" -type f | wc -l) files"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# "WALL CPU" in seconds; CPU is user and system time of the command and its children, which a shared
# machine's load disturbs less than wall time.
timed() {
  local TIMEFORMAT='%R %U %S' times
  times=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<<"$times"
}

# Both must find the backup identical, or the timing means nothing.
"$program" verify --config="$work/config.toml" > "$work/first.txt" || { cat "$work/first.txt"; exit 1; }
# (rsync lists ./ for the subvolume root's mtime, which a receive leaves at the receive time.)
test -z "$(rsync -naXAHc --delete --out-format='%n' "$snapshot/" "$backup/" | grep -vx './')"

ratios=()
cpu_ratios=()
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  if (( round % 2 )); then
    read -r tool tool_cpu < <(timed "$program" verify --config="$work/config.toml")
    read -r raw raw_cpu < <(timed rsync -naXAHc --delete "$snapshot/" "$backup/")
  else
    read -r raw raw_cpu < <(timed rsync -naXAHc --delete "$snapshot/" "$backup/")
    read -r tool tool_cpu < <(timed "$program" verify --config="$work/config.toml")
  fi
  ratio=$(awk -v t="$tool" -v r="$raw" 'BEGIN { printf "%.2f", t / r }')
  cpu_ratio=$(awk -v t="$tool_cpu" -v r="$raw_cpu" 'BEGIN { printf "%.2f", t / r }')
  ratios+=("$ratio")
  cpu_ratios+=("$cpu_ratio")
  echo "round $round: verify ${tool} s (cpu ${tool_cpu} s), rsync -naXAHc ${raw} s (cpu ${raw_cpu} s), ratio ${ratio} (cpu ${cpu_ratio})"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median ratio verify/rsync: $(printf '%s\n' "${ratios[@]}" | median) over ${rounds} rounds (goal: at most 1.0); of CPU time: $(printf '%s\n' "${cpu_ratios[@]}" | median)"
