#!/usr/bin/env bash
# Send over ssh: the tool (`btrfsbackup backup` on a push pair whose target is ssh://) against the
# raw pipe `btrfs send S | ssh root@127.0.0.1 btrfs receive T`, plain and with zstd on both ends.
# Two loop-mounted btrfs images in RAM (/dev/shm), about 1 GiB of incompressible data, a private
# sshd on 127.0.0.1 started by this script (its pid, its keys, its config, all in the bench's
# folder). Each round sends the full snapshot and then the incremental after a 2% change, once
# through the tool and once raw, alternating which goes first, into an emptied target. Prints every
# round, then medians and the ratios tool/raw of the transfer time the tool reports and of the
# tool's whole run. Needs root, btrfs-progs, openssh-server/-client and zstd.
# Usage: sudo bench/send-over-ssh.sh [ROUNDS=6] [MiB=1024] [random|compressible]
#   random: bytes from /dev/urandom (zstd can only cost time); compressible: the start of a tar of /usr.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-6}
size_mib=${2:-1024}
payload=${3:-random}
case $payload in random | compressible) ;; *) echo "payload must be random or compressible" >&2; exit 2 ;; esac
[[ $(id -u) == 0 ]] || { echo "needs root" >&2; exit 2; }
for program in /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen zstd btrfs; do
  command -v "$program" >/dev/null || { echo "$program is not installed" >&2; exit 2; }
done

work=$(mktemp -d /dev/shm/btrfsbackup-sshbench-XXXXXX)
chmod 0700 "$work"
sshd_pid=
cleanup() {
  set +e
  if [[ -n $sshd_pid ]]; then kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; fi
  for m in "$work/target" "$work/source"; do
    # A receive cut short by Ctrl-C may hold the mount for a moment.
    for _ in 1 2 3 4 5 6 7 8 9 10; do mountpoint -q "$m" || break; umount "$m" 2>/dev/null && break; sleep 1; done
  done
  rm -rf "$work"
}
trap cleanup EXIT
set -o errtrace
trap 'echo "$0: line $LINENO failed: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=bench/lib/installed-program.sh
source bench/lib/installed-program.sh

# --- the filesystems and the data ------------------------------------------------------------
for fs in source target; do
  truncate -s $((size_mib * 3 > 512 ? size_mib * 3 : 512))M "$work/$fs.img"
  mkfs.btrfs -q "$work/$fs.img" >/dev/null 2>&1
  mkdir "$work/$fs"
  mount -o loop "$work/$fs.img" "$work/$fs"
done
src=$work/source
btrfs subvolume create "$src/data" >/dev/null
if [[ $payload == random ]]; then
  head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$src/data/payload.bin"
else
  (tar -C /usr -cf - . 2>/dev/null || true) | head -c "$((size_mib * 1024 * 1024))" > "$src/data/payload.bin"
fi
# Rewrites 2% of the payload in place, spread over the file.
change() {
  local chunks=$((size_mib * 2 / 100 * 4 > 0 ? size_mib * 2 / 100 * 4 : 1)) i   # 256 KiB chunks amounting to 2% of the data
  for i in $(seq 0 $((chunks - 1))); do
    dd if=/dev/urandom of="$src/data/payload.bin" bs=256K count=1 seek=$((i * 50)) conv=notrunc status=none
  done
}
btrfs subvolume snapshot -r "$src/data" "$src/full" >/dev/null
change
btrfs subvolume snapshot -r "$src/data" "$src/changed" >/dev/null
sync
full_bytes=$(btrfs send -q "$src/full" | wc -c)
incr_bytes=$(btrfs send -q -p "$src/full" "$src/changed" | wc -c)
zstd_ratio=$(btrfs send -q "$src/full" | zstd -c -3 | wc -c | awk -v f="$full_bytes" '{ printf "%.3f", $1 / f }')

# --- a private sshd on 127.0.0.1 (its pid, its keys, its config, all in $work) ---------------
# shellcheck source=bench/lib/private-sshd.sh
source bench/lib/private-sshd.sh

# The raw pipe's ssh gets what the pair gives the tool (ssh_identity, ssh_options) and what the tool
# adds itself (IdentitiesOnly, BatchMode, -T, -x); only the tool's ControlMaster/ControlPath (its
# connection is opened once, by the scan), ConnectTimeout and ServerAlive* are not repeated here.
known=("UserKnownHostsFile=$ssh_dir/known_hosts" "GlobalKnownHostsFile=/dev/null" "StrictHostKeyChecking=yes")
ssh_opts=(-o "${known[0]}" -o "${known[1]}" -o "${known[2]}" -i "$ssh_dir/client_key" -o IdentitiesOnly=yes
  -o BatchMode=yes -p "$port" -T -x)
ssh "${ssh_opts[@]}" root@127.0.0.1 true

# --- the configurations --------------------------------------------------------------------
snaps=$src/snaps
tool_target=$work/target/tool
raw_target=$work/target/raw
write_config() { # FILE [extra lines...]
  local file=$1; shift
  {
    echo "[run]"
    echo "history_file = \"$work/history.jsonl\""   # the run history stays in the bench's folder
    echo "[pairs.bench]"
    echo "source = \"$src/data\""
    echo "snapshot_dir = \"$snaps\""
    echo "target = \"ssh://root@127.0.0.1:$port$tool_target\""
    echo "ssh_identity = \"$ssh_dir/client_key\""
    echo "ssh_options = [\"${known[0]}\", \"${known[1]}\", \"${known[2]}\"]"
    echo "alert_after_days = 0"   # snapshots named at a fixed past instant: no stale alarm (exit 3)
    printf '%s\n' "$@"
  } > "$file"
}
write_config "$work/plain.toml"
write_config "$work/zstd.toml" 'stream_compress = "zstd"' 'stream_compress_level = 3'
export BTRFSBACKUP_RUNTIME_DIR=$work/run

now() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 'printf "%.6f", clock_gettime(CLOCK_MONOTONIC)'; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# Deletes what a measurement left: the received subvolumes, the tool's snapshots and its records.
reset() {
  local dir sub
  for dir in "$tool_target" "$raw_target" "$snaps"; do
    [[ -d $dir ]] || continue
    for sub in "$dir"/*/; do
      [[ -d $sub ]] && btrfs subvolume delete -c "${sub%/}" >/dev/null
    done
    rm -rf "$dir"
  done
  mkdir -p "$raw_target" "$tool_target"
  btrfs subvolume sync "$work/target" >/dev/null
  btrfs subvolume sync "$src" >/dev/null
}

# The tool's run: sets run_wall (the whole process) and run_xfer (the transfer time it logs: from
# its "sent NAME (KIND): X in Y s, R MiB/s" line, taken as BYTES / R for more digits than Y has).
# With count_ssh set (the untimed pass), an ssh first on PATH notes each ssh process the tool starts.
count_ssh=
run_tool() { # CONFIG BYTES
  local start line rate seconds path=$PATH
  if [[ -n $count_ssh ]]; then path=$work/bin:$PATH; : > "$work/ssh-calls.log"; fi
  start=$(now)
  if ! PATH=$path "$program" backup --pair=bench --config="$1" > "$work/tool.log" 2>&1; then
    cat "$work/tool.log" >&2; return 1
  fi
  run_wall=$(since "$start")
  if [[ -n $count_ssh ]]; then cp "$work/ssh-calls.log" "$work/ssh-calls-$count_ssh.log"; fi
  line=$(grep -E 'sent [^ ]+ \((full|incremental[^)]*)\): ' "$work/tool.log" | tail -n 1 || true)
  [[ -n $line ]] || { echo "no 'sent' line in the tool's output:" >&2; cat "$work/tool.log" >&2; return 1; }
  seconds=$(sed -E 's/.* in ([0-9.]+) s.*/\1/' <<< "$line")
  rate=$(sed -nE 's/.*, ([0-9.]+) MiB\/s.*/\1/p' <<< "$line")
  run_xfer=$( [[ -n $rate ]] && awk -v b="$2" -v r="$rate" 'BEGIN { printf "%.3f", b / 1048576 / r }' || echo "$seconds")
  # The tasks' durations from the table at the end of its output (Scan:bench 00:00:00.8363575 ...).
  run_scan=$(task_seconds Scan:bench); run_send=$(task_seconds Send:bench)
}
task_seconds() { # TASK
  sed 's/\x1b\[[0-9;]*m//g' "$work/tool.log" | awk -v t="$1" '$1 == t && $2 ~ /^[0-9]+:[0-9]+:[0-9.]+$/ { split($2, f, ":"); printf "%.3f", f[1] * 3600 + f[2] * 60 + f[3]; exit }'
}

# One measurement of the tool: the full send, then the incremental once the second snapshot is there.
# The tool sends only snapshots of its source (their parent UUID), so each pass makes its source
# anew, as a snapshot of the first state, and its own two snapshots, as the raw pipe's were made.
tool_pass() { # CONFIG
  btrfs subvolume delete -c "$src/data" >/dev/null
  btrfs subvolume snapshot "$src/full" "$src/data" >/dev/null
  mkdir -p "$snaps"
  btrfs subvolume snapshot -r "$src/data" "$snaps/2026-11-01T03:00:00+00:00" >/dev/null
  [[ -z $count_ssh ]] || count_ssh=full
  run_tool "$1" "$full_bytes"; t_full_wall=$run_wall; t_full_xfer=$run_xfer; t_full_scan=$run_scan; t_full_send=$run_send
  change
  btrfs subvolume snapshot -r "$src/data" "$snaps/2026-11-02T03:00:00+00:00" >/dev/null
  [[ -z $count_ssh ]] || count_ssh=incremental
  run_tool "$1" "$incr_bytes"; t_incr_wall=$run_wall; t_incr_xfer=$run_xfer; t_incr_scan=$run_scan; t_incr_send=$run_send
  grep -q 'incremental from 2026-11-01T03:00:00+00:00' "$work/tool.log" || { echo "the second send was not incremental:" >&2; cat "$work/tool.log" >&2; return 1; }
  reset
}

# One measurement of the raw pipe, the same two sends.
raw_pass() { # plain|zstd
  local start remote
  : > "$work/raw.log"
  trap 'cat "$work/raw.log" >&2' ERR
  remote=$(printf 'btrfs receive %q' "$raw_target")
  start=$(now)
  if [[ $1 == zstd ]]; then
    btrfs send "$src/full" 2>>"$work/raw.log" | zstd -c -3 | ssh "${ssh_opts[@]}" root@127.0.0.1 "zstd -d -c | $remote" >>"$work/raw.log" 2>&1
  else
    btrfs send "$src/full" 2>>"$work/raw.log" | ssh "${ssh_opts[@]}" root@127.0.0.1 "$remote" >>"$work/raw.log" 2>&1
  fi
  r_full=$(since "$start")
  start=$(now)
  if [[ $1 == zstd ]]; then
    btrfs send -p "$src/full" "$src/changed" 2>>"$work/raw.log" | zstd -c -3 | ssh "${ssh_opts[@]}" root@127.0.0.1 "zstd -d -c | $remote" >>"$work/raw.log" 2>&1
  else
    btrfs send -p "$src/full" "$src/changed" 2>>"$work/raw.log" | ssh "${ssh_opts[@]}" root@127.0.0.1 "$remote" >>"$work/raw.log" 2>&1
  fi
  r_incr=$(since "$start")
  trap 'echo "$0: line $LINENO failed: $BASH_COMMAND" >&2' ERR
  reset
}

# What a new ssh connection costs (the raw pipe pays it on every send; the tool once per run).
connect=$(for _ in 1 2 3 4 5 6 7; do start=$(now); ssh "${ssh_opts[@]}" root@127.0.0.1 true; since "$start"; echo; done | median)

mkdir "$work/bin"
cat > "$work/bin/ssh" <<'WRAP'
#!/bin/sh
printf '%s\n' "$*" >> "${0%/bin/ssh}/ssh-calls.log"
exec /usr/bin/ssh "$@"
WRAP
chmod 0755 "$work/bin/ssh"

reset
# One untimed pass of each first: page cache, btrfs metadata, sshd and the program warm up alike.
# The tool's first pass also counts its ssh processes.
count_ssh=yes
tool_pass "$work/plain.toml"
count_ssh=
raw_pass plain; tool_pass "$work/zstd.toml"; raw_pass zstd

ssh_full=$(wc -l < "$work/ssh-calls-full.log"); ssh_incr=$(wc -l < "$work/ssh-calls-incremental.log")
load_before=$(cut -d' ' -f1 /proc/loadavg)
echo "payload: $size_mib MiB $payload; full stream $full_bytes bytes, incremental $incr_bytes bytes ($(awk -v i="$incr_bytes" -v f="$full_bytes" 'BEGIN { printf "%.2f", 100 * i / f }')%), zstd -3 to $zstd_ratio of the full"
echo "ssh connection set-up (ssh ... true): median $connect s"
echo "times in s; tool: transfer as the tool reports it / whole run; raw: the pipeline"
declare -A col
for round in $(seq "$rounds"); do
  for mode in plain zstd; do
    if ((round % 2)); then order="tool raw"; else order="raw tool"; fi
    for side in $order; do
      if [[ $side == tool ]]; then
        tool_pass "$work/$mode.toml"
        col[$mode-tool-full-xfer]+="$t_full_xfer "; col[$mode-tool-full-wall]+="$t_full_wall "
        col[$mode-tool-incr-xfer]+="$t_incr_xfer "; col[$mode-tool-incr-wall]+="$t_incr_wall "
        col[$mode-tool-full-scan]+="$t_full_scan "; col[$mode-tool-full-send]+="$t_full_send "
        col[$mode-tool-incr-scan]+="$t_incr_scan "; col[$mode-tool-incr-send]+="$t_incr_send "
      else
        raw_pass "$mode"
        col[$mode-raw-full]+="$r_full "; col[$mode-raw-incr]+="$r_incr "
      fi
    done
    printf 'round %d %-5s full: tool %6.3f / %6.3f, raw %6.3f (ratio %s / %s)   incremental: tool %5.3f / %5.3f, raw %5.3f (ratio %s / %s)\n' \
      "$round" "$mode" "$t_full_xfer" "$t_full_wall" "$r_full" "$(ratio "$t_full_xfer" "$r_full")" "$(ratio "$t_full_wall" "$r_full")" \
      "$t_incr_xfer" "$t_incr_wall" "$r_incr" "$(ratio "$t_incr_xfer" "$r_incr")" "$(ratio "$t_incr_wall" "$r_incr")"
  done
done

med() { tr ' ' '\n' <<< "${col[$1]}" | grep . | median; }
echo
echo "medians over $rounds rounds (s) and ratios tool/raw of the medians:"
for mode in plain zstd; do
  for kind in full incr; do
    label=$([[ $kind == full ]] && echo "full send" || echo "incremental")
    raw=$(med "$mode-raw-$kind"); xfer=$(med "$mode-tool-$kind-xfer"); wall=$(med "$mode-tool-$kind-wall")
    printf '%-5s %-11s raw %6.3f | tool transfer %6.3f, ratio %s | tool whole run %6.3f, ratio %s\n' \
      "$mode" "$label" "$raw" "$xfer" "$(ratio "$xfer" "$raw")" "$wall" "$(ratio "$wall" "$raw")"
  done
done
echo
echo "where the tool's whole run goes (medians, s): the rest = process start-up, configuration, locks, summary"
for mode in plain zstd; do
  for kind in full incr; do
    label=$([[ $kind == full ]] && echo "full send" || echo "incremental")
    wall=$(med "$mode-tool-$kind-wall"); scan=$(med "$mode-tool-$kind-scan"); send=$(med "$mode-tool-$kind-send"); xfer=$(med "$mode-tool-$kind-xfer")
    awk -v m="$mode" -v l="$label" -v w="$wall" -v c="$scan" -v s="$send" -v x="$xfer" \
      'BEGIN { printf "%-5s %-11s whole %6.3f = Scan task %5.3f + Send task %6.3f (transfer %6.3f, the rest of Send %5.3f) + the rest %5.3f\n", m, l, w, c, s, x, s - x, w - c - s }'
  done
done
mib_s() { awk -v b="$full_bytes" -v t="$1" 'BEGIN { printf "%.1f", b / 1048576 / t }'; }
echo "full send throughput: raw $(mib_s "$(med plain-raw-full)") MiB/s, tool $(mib_s "$(med plain-tool-full-xfer)") MiB/s; with zstd raw $(mib_s "$(med zstd-raw-full)") MiB/s, tool $(mib_s "$(med zstd-tool-full-xfer)") MiB/s"
echo "load average (1 min) at the first round: $load_before, at the end: $(cut -d' ' -f1 /proc/loadavg) ($(nproc) cores)"
echo "ssh processes the tool started: $ssh_full for the full run, $ssh_incr for the incremental one; the full run's, by remote command:"
sed -E 's/.* -- 127\.0\.0\.1 /  /' "$work/ssh-calls-full.log" | sed -E "s|$work|\$W|g" | sort | uniq -c | sort -rn
