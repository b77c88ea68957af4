#!/usr/bin/env bash
# The tool beside its peer: `btrfsbackup` (native code, as contrib/install.sh installs it)
# against btrbk on the same kind of data, and a full send against the raw pipe
# `btrfs send | btrfs receive`. Two loop-mounted btrfs images in RAM (/dev/shm): PAIRS pairs on the
# source filesystem backed up to the target filesystem, each tool with its own copies of the same
# data (MiB each, random) and its own snapshot and target folders, both keeping every snapshot
# (btrbk's defaults snapshot_preserve_min/target_preserve_min "all"; the tool's pairs set no
# retention, so nothing is purged), both taking a snapshot only when the source changed (btrbk
# `snapshot_create onchange`, the tool `snapshot_when = "changed"`). Rounds alternate which side
# goes first. Each round measures:
#   no-op nightly:  `btrfsbackup nightly` against `btrbk run`, nothing changed since the last run,
#                   so both look at every pair and find nothing to do (a real run, as the timer
#                   runs it, not a dry run: btrbk's dry run skips its lockfile, and neither tool's
#                   dry run is what a night costs);
#   list:           `btrfsbackup list` against `btrbk list all` (snapshots and backups);
#   2% incremental: 2% of every pair's data rewritten in both sides' copies alike, then each side's
#                   nightly: a snapshot and an incremental send per pair;
#   full send:      1 GiB (FULL_MiB) snapshot to an emptied target, `btrfsbackup backup` as a whole
#                   run against `btrfs send S | btrfs receive T`.
# Untimed passes count the btrfs (and findmnt) processes of a nightly (strace) and the peak memory
# (GNU time's maximum resident set: the largest single process of the tree, children included).
# Needs root, btrfs-progs, btrbk, strace and GNU time. Leaves nothing behind (loop devices, mounts,
# files) however it ends.
# Usage: sudo bench/peer.sh [ROUNDS=5] [PAIRS=5] [MiB=64] [FULL_MiB=1024]
#   PEER_TRACE=1 says on stderr how long each stage took; PEER_TRACE=2 traces every command.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
pairs=${2:-5}
pair_mib=${3:-64}
full_mib=${4:-1024}
[[ $(id -u) == 0 ]] || { echo "needs root" >&2; exit 2; }
for program in btrfs btrbk strace /usr/bin/time mkfs.btrfs losetup; do
  command -v "$program" >/dev/null || { echo "$program is not installed (apt-get install btrfs-progs btrbk strace time)" >&2; exit 2; }
done

work=$(mktemp -d /dev/shm/btrfsbackup-peer-XXXXXX)
chmod 0700 "$work"
loops=()
cleanup() {
  set +e
  for m in "$work/target" "$work/source"; do
    for _ in 1 2 3 4 5; do mountpoint -q "$m" || break; umount "$m" 2>/dev/null && break; sleep 1; done
  done
  for loop in "${loops[@]}"; do losetup -d "$loop" 2>/dev/null; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
set -o errtrace
trap 'echo "$0: line $LINENO failed: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$EPOCHREALTIME
if [[ ${PEER_TRACE:-} == 2 ]]; then PS4='+ $EPOCHREALTIME '; set -x; fi
# PEER_TRACE=1: say on stderr how long each stage took.
stage() { [[ -z ${PEER_TRACE:-} ]] || awk -v s="$started" -v e="$EPOCHREALTIME" -v w="$*" 'BEGIN { printf "%7.1f s %s\n", e - s, w }' >&2; }

# shellcheck source=bench/lib/installed-program.sh
source bench/lib/installed-program.sh
stage "program published"

# --- the filesystems and the data ------------------------------------------------------------
for fs in source target; do
  truncate -s $(((pairs * pair_mib * 2 + full_mib) * 3 + 512))M "$work/$fs.img"
  mkfs.btrfs -q "$work/$fs.img" >/dev/null 2>&1
  mkdir "$work/$fs"
  loops+=("$(losetup --find --show "$work/$fs.img")")
  mount "${loops[-1]}" "$work/$fs"
done
src=$work/source dst=$work/target
mkdir "$src/tool" "$src/btrbk" "$src/tool-snapshots" "$src/btrbk-snapshots" "$dst/tool" "$dst/btrbk" "$dst/raw"
head -c "$((pair_mib * 1048576))" /dev/urandom > "$work/pair-data.bin"
for i in $(seq "$pairs"); do
  for side in tool btrbk; do
    btrfs -q subvolume create "$src/$side/p$i"
    cp --reflink=never "$work/pair-data.bin" "$src/$side/p$i/data.bin"
  done
done
rm "$work/pair-data.bin"
btrfs -q subvolume create "$src/big"
head -c "$((full_mib * 1048576))" /dev/urandom > "$src/big/data.bin"
sync

# Rewrites 2% of each pair's file, the same pieces in both sides' copies: 64 KiB of new random
# bytes at a random place in every 3200 KiB.
change_all() {
  local files=() i
  for i in $(seq "$pairs"); do files+=("$src/tool/p$i/data.bin" "$src/btrbk/p$i/data.bin"); done
  perl -e '
    my $size = -s $ARGV[0];
    open(my $random, "<:raw", "/dev/urandom") or die;
    my @pieces = map { $_ * 3200 * 1024 + int(rand(50)) * 1024 } 0 .. int($size / (3200 * 1024)) - 1;
    for my $file (@ARGV) {
      open(my $out, "+<:raw", $file) or die "$file: $!";
      for my $at (@pieces) { read($random, my $bytes, 65536); seek($out, $at, 0); print $out $bytes; }
      close($out) or die;
    }' "${files[@]}"
  sync
}

stage "filesystems and data made"
# --- the configurations ----------------------------------------------------------------------
{
  echo "[run]"
  echo "history_file = \"$work/history.jsonl\""   # the run history stays in the bench's folder
  echo "[defaults]"
  echo "snapshot_when = \"changed\""
  echo "alert_after_days = 0"
  for i in $(seq "$pairs"); do
    echo "[pairs.p$i]"
    echo "source = \"$src/tool/p$i\""
    echo "snapshot_dir = \"$src/tool-snapshots/p$i\""
    echo "target = \"$dst/tool/p$i\""
  done
} > "$work/tool.toml"
mkdir -p "$dst/tool/big"
cat > "$work/big.toml" <<TOML
[run]
history_file = "$work/history.jsonl"
[pairs.big]
source = "$src/big"
snapshot_dir = "$src/big-snapshots"
target = "$dst/tool/big"
alert_after_days = 0
TOML
for i in $(seq "$pairs"); do mkdir -p "$dst/tool/p$i"; done
{
  echo "timestamp_format   long-iso"
  echo "snapshot_create    onchange"
  echo "lockfile           $work/btrbk.lock"
  echo "volume $src"
  echo "  snapshot_dir btrbk-snapshots"
  echo "  target $dst/btrbk"
  for i in $(seq "$pairs"); do echo "  subvolume btrbk/p$i"; done
} > "$work/btrbk.conf"
export BTRFSBACKUP_RUNTIME_DIR=$work/run

# --- measuring -------------------------------------------------------------------------------
now() { echo "$EPOCHREALTIME"; }
since() { awk -v s="$1" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.3f", e - s }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Runs a command, fails loudly with its output; sets took (s).
timed() { # LOG COMMAND...
  local log=$1 start; shift
  start=$(now)
  if ! "$@" > "$log" 2>&1; then echo "failed: $*" >&2; cat "$log" >&2; return 1; fi
  took=$(since "$start")
}
# The tool's configuration comes from $BTRFSBACKUP_CONFIG (its target must be the first word).
tool=(env BTRFSBACKUP_CONFIG="$work/tool.toml" "$program")
peer=(btrbk -c "$work/btrbk.conf")
big=(env BTRFSBACKUP_CONFIG="$work/big.toml" "$program")
# Both full sends end when the backup is on disk (the tool's run commits the target filesystem as it
# writes its records; the raw pipe's btrfs receive does not, so its time includes a sync).
raw_send() { btrfs send -q "$big_snapshot" | btrfs receive "$dst/raw" && sync -f "$dst"; }
tool_send() { "${big[@]}" backup --pair=big && sync -f "$dst"; }
# Empties both full-send targets (and the tool's records of the big pair) after a measurement.
reset_big() {
  local sub
  for sub in "$dst"/tool/big/*/ "$dst"/raw/*/; do
    [[ -d $sub ]] && btrfs -q subvolume delete "${sub%/}"
  done
  rm -f "$dst/tool/big/.btrfsbackup-target.json" "$src/big-snapshots/.btrfsbackup-source.json"
  btrfs -q subvolume sync "$dst"
}

# The first runs, untimed: every pair's first snapshot and full backup, on both sides; the big
# pair's snapshot (the full send sends it again each round).
timed "$work/first-tool.log" "${tool[@]}" nightly
timed "$work/first-btrbk.log" "${peer[@]}" run
timed "$work/big.log" "${big[@]}" snapshot --pair=big
stage "first runs done"
big_snapshot=$(find "$src/big-snapshots" -mindepth 1 -maxdepth 1 -type d | head -n 1)
sync

# Counting: the processes a nightly starts, by program (untimed; a no-op nightly and an incremental
# one per side, the incremental one after the same change on both sides). Both find btrfs, findmnt
# and readlink on PATH: wrappers first on it note each start, then run the real program.
mkdir "$work/bin"
for name in btrfs findmnt readlink; do
  real=$(command -v "$name")
  printf '#!/bin/sh\nprintf "%%s\\n" "%s $*" >> "%s/calls.log"\nexec %s "$@"\n' "$name" "$work" "$real" > "$work/bin/$name"
  chmod 0755 "$work/bin/$name"
done
count() { # NAME COMMAND...
  local name=$1; shift
  : > "$work/calls.log"
  PATH=$work/bin:$PATH timed "$work/count-$name.log" "$@"
  cp "$work/calls.log" "$work/calls-$name"
}
execs() { grep -c "^$2 " "$work/calls-$1" || true; }
lists() { grep -c '^btrfs subvolume list' "$work/calls-$1" || true; }
count tool-noop "${tool[@]}" nightly
count btrbk-noop "${peer[@]}" run
change_all
count tool-incr "${tool[@]}" nightly
count btrbk-incr "${peer[@]}" run
grep -q 'incremental' "$work/count-tool-incr.log" || { echo "the tool's counted nightly sent no incremental:" >&2; cat "$work/count-tool-incr.log" >&2; exit 1; }
stage "processes counted"
# Peak memory (untimed): GNU time's maximum resident set size, in KiB, of a no-op and an incremental nightly.
peak() { # COMMAND... ; prints MiB
  /usr/bin/time -f '%M' -o "$work/peak" "$@" > "$work/peak.log" 2>&1 || { cat "$work/peak.log" >&2; return 1; }
  awk '{ printf "%.1f", $1 / 1024 }' "$work/peak"
}
mem_tool_noop=$(peak "${tool[@]}" nightly); mem_btrbk_noop=$(peak "${peer[@]}" run)
stage "peak noop"
mem_tool_list=$(peak "${tool[@]}" list); mem_btrbk_list=$(peak "${peer[@]}" list all)
stage "peak list"
change_all
stage "change"
mem_tool_incr=$(peak "${tool[@]}" nightly); mem_btrbk_incr=$(peak "${peer[@]}" run)
stage "peak incr"
mem_tool_full=$(peak "${big[@]}" backup --pair=big); sync -f "$dst"; stage "peak full"; reset_big

stage "peak memory measured"
# One untimed warm-up of each measurement, then the rounds.
timed /dev/null raw_send; reset_big
load_rounds=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A col last
add() { col[$1]+="$2 "; }
for round in $(seq "$rounds"); do
  if ((round % 2)); then order="tool btrbk"; else order="btrbk tool"; fi
  for side in $order; do
    if [[ $side == tool ]]; then timed "$work/noop-tool.log" "${tool[@]}" nightly; else timed "$work/noop-btrbk.log" "${peer[@]}" run; fi
    add "noop-$side" "$took"
    last[noop-$side]=$took
  done
  for side in $order; do
    if [[ $side == tool ]]; then timed "$work/list-tool.log" "${tool[@]}" list; else timed "$work/list-btrbk.log" "${peer[@]}" list all; fi
    add "list-$side" "$took"
    last[list-$side]=$took
  done
  stage "  no-op and list"
  change_all
  stage "  change"
  for side in $order; do
    if [[ $side == tool ]]; then timed "$work/incr-tool.log" "${tool[@]}" nightly; else timed "$work/incr-btrbk.log" "${peer[@]}" run; fi
    add "incr-$side" "$took"
    last[incr-$side]=$took
  done
  stage "  incremental"
  for side in $order; do
    if [[ $side == tool ]]; then timed "$work/full-tool.log" tool_send; else side=raw; timed "$work/full-raw.log" raw_send; fi
    add "full-$side" "$took"
    last[full-$side]=$took
    reset_big
  done
  printf 'round %d (%s first): no-op %s / %s, list %s / %s, 2%% incremental %s / %s, full send tool %s / raw %s\n' "$round" "${order%% *}" \
    "${last[noop-tool]}" "${last[noop-btrbk]}" \
    "${last[list-tool]}" "${last[list-btrbk]}" "${last[incr-tool]}" "${last[incr-btrbk]}" "${last[full-tool]}" "${last[full-raw]}"
  stage "round $round done"
done
grep -q 'incremental' "$work/incr-tool.log" || { echo "the tool's last nightly sent no incremental:" >&2; cat "$work/incr-tool.log" >&2; exit 1; }
[[ $(find "$dst/btrbk" -mindepth 1 -maxdepth 1 | wc -l) -ge $((pairs * (rounds + 3))) ]] || { echo "btrbk did not make a backup per pair and run:" >&2; ls "$dst/btrbk" >&2; exit 1; }

med() { tr ' ' '\n' <<< "${col[$1]}" | grep . | median; }
full_bytes=$(stat -c %s "$src/big/data.bin")
echo
echo "$pairs pairs of $pair_mib MiB on one source filesystem to one target filesystem; full send of $full_mib MiB; times in s, tool / btrbk (or raw), medians of $rounds rounds"
printf '%-34s %7s %7s  ratio %s  (goal: at most 2)\n' "no-op nightly (nothing changed)" "$(med noop-tool)" "$(med noop-btrbk)" "$(ratio "$(med noop-tool)" "$(med noop-btrbk)")"
printf '%-34s %7s %7s  ratio %s  (goal: at most 2)\n' "list / btrbk list all" "$(med list-tool)" "$(med list-btrbk)" "$(ratio "$(med list-tool)" "$(med list-btrbk)")"
printf '%-34s %7s %7s  ratio %s  (goal: at most 1.3)\n' "nightly after a 2% change" "$(med incr-tool)" "$(med incr-btrbk)" "$(ratio "$(med incr-tool)" "$(med incr-btrbk)")"
printf '%-34s %7s %7s  throughput %s of the raw pipe (goal: at least 0.95); %s MiB/s against %s\n' "full send, whole run / raw pipe" \
  "$(med full-tool)" "$(med full-raw)" "$(ratio "$(med full-raw)" "$(med full-tool)")" \
  "$(awk -v b="$full_bytes" -v t="$(med full-tool)" 'BEGIN { printf "%.0f", b / 1048576 / t }')" \
  "$(awk -v b="$full_bytes" -v t="$(med full-raw)" 'BEGIN { printf "%.0f", b / 1048576 / t }')"
echo "peak memory (MiB, largest process): no-op nightly $mem_tool_noop / $mem_btrbk_noop, list $mem_tool_list / $mem_btrbk_list, incremental nightly $mem_tool_incr / $mem_btrbk_incr, tool's full send $mem_tool_full (goal: at most 60)"
for kind in noop incr; do
  label=$([[ $kind == noop ]] && echo "no-op nightly:      " || echo "incremental nightly:")
  echo "processes per $label tool btrfs $(execs "tool-$kind" btrfs) (of them subvolume list $(lists "tool-$kind")), findmnt $(execs "tool-$kind" findmnt);" \
    "btrbk btrfs $(execs "btrbk-$kind" btrfs) (subvolume list $(lists "btrbk-$kind")), findmnt $(execs "btrbk-$kind" findmnt), readlink $(execs "btrbk-$kind" readlink)"
done
echo "the tool's btrfs and findmnt processes in its incremental nightly, by kind:"
awk '{ print "  " $1, $2, ($3 ~ /^-/ ? "" : $3) }' "$work/calls-tool-incr" | sort | uniq -c | sort -rn
echo "load average: at the start $load_start, at the first round $load_rounds, at the end $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
