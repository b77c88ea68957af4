#!/usr/bin/env bash
# Scanning a pair over ssh: `btrfsbackup list --pair=bench` on the same two filesystems reached three
# ways, all local, as a pull pair (source and snapshot_dir ssh://) and as a push pair (target
# ssh://), with COUNT read-only snapshots in the snapshot_dir (the tool's names, one an hour back
# from a fixed instant) and COUNT more on the target (made there with `btrfs subvolume snapshot -r`,
# so foreign to the tool, but listed and looked at all the same). Two loop-mounted btrfs images in
# RAM (/dev/shm) and a private sshd on 127.0.0.1 started by this script (its pid, its keys, its
# config, all in the bench's folder). Prints the median wall time of each, the ratios remote/local,
# and how many ssh processes the tool started and how many sessions sshd opened for one list: that
# count must not grow with COUNT (run it with 100 and 1000). Needs root, btrfs-progs and openssh.
# Usage: sudo bench/remote-scan.sh [COUNT=1000] [RUNS=7]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
runs=${2:-7}
[[ $(id -u) == 0 ]] || { echo "needs root" >&2; exit 2; }
for program in /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen btrfs; do
  command -v "$program" >/dev/null || { echo "$program is not installed" >&2; exit 2; }
done

work=$(mktemp -d /dev/shm/btrfsbackup-scanbench-XXXXXX)
chmod 0700 "$work"
sshd_pid=
master_pid=
cleanup() {
  set +e
  if [[ -n $master_pid ]]; then kill "$master_pid" 2>/dev/null; wait "$master_pid" 2>/dev/null; fi
  if [[ -n $sshd_pid ]]; then kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; fi
  for m in "$work/target" "$work/source"; do
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

# --- the filesystems and the snapshots -----------------------------------------------------
for fs in source target; do
  truncate -s 1G "$work/$fs.img"
  mkfs.btrfs -q "$work/$fs.img" >/dev/null 2>&1
  mkdir "$work/$fs"
  mount -o loop "$work/$fs.img" "$work/$fs"
done
src=$work/source
btrfs subvolume create "$src/data" >/dev/null
head -c 1M /dev/urandom > "$src/data/file"
btrfs subvolume create "$work/target/seed" >/dev/null
mkdir "$src/snaps" "$work/target/backup"
base=$(date -u -d 2026-11-01T00:00:00Z +%s)
for i in $(seq 0 $((count - 1))); do
  name=$(date -u -d "@$((base - i * 3600))" +%Y-%m-%dT%H:%M:%S+00:00)
  btrfs subvolume snapshot -r "$src/data" "$src/snaps/$name" >/dev/null
  btrfs subvolume snapshot -r "$work/target/seed" "$work/target/backup/$name" >/dev/null
done
sync

# --- a private sshd on 127.0.0.1 (its pid, its keys, its config, all in $work) ---------------
# shellcheck source=bench/lib/private-sshd.sh
source bench/lib/private-sshd.sh

# --- the three pairs: one configuration each, the same paths ---------------------------------
url() { echo "ssh://root@127.0.0.1:$port$1"; }
write_config() { # FILE SOURCE SNAPSHOT_DIR TARGET
  cat > "$1" <<TOML
[run]
history_file = "$work/history.jsonl"   # the run history stays in the bench's folder

[pairs.bench]
source = "$2"
snapshot_dir = "$3"
target = "$4"
ssh_identity = "$ssh_dir/client_key"
ssh_options = ["UserKnownHostsFile=$ssh_dir/known_hosts", "GlobalKnownHostsFile=/dev/null", "StrictHostKeyChecking=yes"]
alert_after_days = 0   # snapshots from a fixed past instant: not a stale alarm to measure
TOML
}
write_config "$work/local.toml" "$src/data" "$src/snaps" "$work/target/backup"
write_config "$work/pull.toml" "$(url "$src/data")" "$(url "$src/snaps")" "$work/target/backup"
write_config "$work/push.toml" "$src/data" "$src/snaps" "$(url "$work/target/backup")"
export BTRFSBACKUP_RUNTIME_DIR=$work/run

# An ssh first on PATH that notes each invocation, for the counting runs only (not the timed ones).
mkdir "$work/bin"
cat > "$work/bin/ssh" <<'WRAP'
#!/bin/sh
printf '%s\n' "$*" >> "$BENCH_SSH_LOG"
exec /usr/bin/ssh "$@"
WRAP
chmod 0755 "$work/bin/ssh"

now() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 'printf "%.6f", clock_gettime(CLOCK_MONOTONIC)'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
list() { # KIND: the list's output in $work/KIND.out
  "$program" list --pair=bench --config="$work/$1.toml" > "$work/$1.out" 2>&1 || { cat "$work/$1.out" >&2; return 1; }
}

# The three must see the same snapshots: as many lines naming one (by its date) in each list.
for kind in local pull push; do list "$kind"; done
shown=$(grep -c '2026-' "$work/local.out" || true)
for kind in pull push; do
  if [[ $(grep -c '2026-' "$work/$kind.out" || true) != "$shown" ]]; then
    echo "the $kind pair lists a different number of snapshot lines than the local one:" >&2
    diff "$work/local.out" "$work/$kind.out" >&2 || true
    exit 1
  fi
done

# Counting: ssh processes the tool starts (the wrapper), remote sessions sshd opens (its log).
declare -A ssh_count session_count
for kind in local pull push; do
  export BENCH_SSH_LOG=$work/ssh-$kind.log
  : > "$BENCH_SSH_LOG"
  before=$(grep -c 'Starting session:' "$ssh_dir/sshd.log" || true)
  PATH=$work/bin:$PATH list "$kind"
  sleep 0.2   # sshd's session processes write the log; give the last of them a moment
  ssh_count[$kind]=$(wc -l < "$BENCH_SSH_LOG")
  session_count[$kind]=$(( $(grep -c 'Starting session:' "$ssh_dir/sshd.log" || true) - before ))
done

# What one remote command costs: over a new connection, and over a shared one (as the tool runs them).
ssh_opts=(-o "UserKnownHostsFile=$ssh_dir/known_hosts" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes
  -i "$ssh_dir/client_key" -o IdentitiesOnly=yes -o BatchMode=yes -p "$port" -T -x)
timed() { local start; start=$(now); "$@"; awk -v s="$start" -v e="$(now)" 'BEGIN { printf "%.3f\n", e - s }'; }
connect=$(for _ in $(seq "$runs"); do timed ssh "${ssh_opts[@]}" root@127.0.0.1 true; done | median)
ssh "${ssh_opts[@]}" -o ControlMaster=yes -o ControlPersist=no -o ControlPath="$work/master" -N root@127.0.0.1 &
master_pid=$!
for _ in $(seq 100); do ssh -o ControlPath="$work/master" -O check 127.0.0.1 2>/dev/null && break; sleep 0.05; done
shared=$(for _ in $(seq "$runs"); do timed ssh "${ssh_opts[@]}" -o ControlMaster=no -o ControlPath="$work/master" root@127.0.0.1 true; done | median)
kill "$master_pid"; wait "$master_pid" 2>/dev/null || true; master_pid=

# Timing: alternating, the same number of runs of each.
load_before=$(cut -d' ' -f1 /proc/loadavg)
declare -A times
for _ in $(seq "$runs"); do
  for kind in local pull push; do
    start=$(now)
    list "$kind"
    times[$kind]+="$(awk -v s="$start" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }') "
  done
done

echo "$count snapshots in the snapshot_dir and $count on the target; list shows $shown lines naming them; median of $runs runs each"
med() { tr ' ' '\n' <<< "${times[$1]}" | grep . | median; }
local_time=$(med local)
for kind in local pull push; do
  t=$(med "$kind")
  printf '%-5s list: %6.3f s (ratio to local %s); ssh processes started: %s, remote commands (sshd sessions): %s\n' \
    "$kind" "$t" "$(awk -v a="$t" -v b="$local_time" 'BEGIN { printf "%.2f", a / b }')" "${ssh_count[$kind]}" "${session_count[$kind]}"
done
echo "load average (1 min) before the timed runs: $load_before, after: $(cut -d' ' -f1 /proc/loadavg) ($(nproc) cores)"
echo "one remote command (ssh ... true): over a new connection $connect s, over a shared one $shared s"
for kind in pull push; do
  echo "$kind: remote commands run:"
  sed -E 's/.* -- 127\.0\.0\.1 /  /' "$work/ssh-$kind.log" | sed -E "s|$work|\$W|g" | sort | uniq -c | sort -rn
done
