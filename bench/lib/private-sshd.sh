# Sourced by the ssh benchmarks: starts a private sshd on 127.0.0.1 for the bench's own folder.
# Needs $work (the bench's root-only folder). Sets ssh_dir (keys, config, log, known_hosts),
# port and sshd_pid; the caller's cleanup kills $sshd_pid.
# shellcheck shell=bash disable=SC2154  # $work is the caller's

# --- a private sshd on 127.0.0.1 -----------------------------------------------------------
# Public keys come from AuthorizedKeysCommand (run as root), not AuthorizedKeysFile: StrictModes
# refuses a file under /dev/shm, whose parent is world writable. LogLevel VERBOSE logs one
# "Starting session: command ..." line for every remote command, shared connection or not.
ssh_dir=$work/ssh
mkdir -m 0700 "$ssh_dir" "$ssh_dir/users" "$ssh_dir/users/root"
ssh-keygen -q -t ed25519 -N '' -C 'btrfsbackup bench host key' -f "$ssh_dir/host_key"
ssh-keygen -q -t ed25519 -N '' -C 'btrfsbackup bench client key' -f "$ssh_dir/client_key"
install -m 0600 "$ssh_dir/client_key.pub" "$ssh_dir/users/root/authorized_keys"
[[ -d /run/sshd ]] || mkdir -m 0755 /run/sshd   # sshd checks its privilege-separation folder
# Debian's bash reads ~/.bashrc for a command run by sshd, unless it is nested (SHLVL set): a heavy
# .bashrc (root's runs `pyenv init` here, 0.28 s) would be paid by every remote command and measure
# the account, not the tool. REMOTE_STARTUP_FILES=1 leaves it in.
startup_files=$([[ ${REMOTE_STARTUP_FILES:-0} == 1 ]] || echo "SetEnv SHLVL=1")
port=
for _ in 1 2 3 4 5; do
  candidate=$(shuf -i 20000-60999 -n 1)
  ss -Htln "sport = :$candidate" | grep -q . && continue
  cat > "$ssh_dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $candidate
HostKey $ssh_dir/host_key
PidFile $ssh_dir/sshd.pid
AuthorizedKeysFile none
AuthorizedKeysCommand /usr/bin/cat "$ssh_dir/users/%u/authorized_keys"
AuthorizedKeysCommandUser root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PrintMotd no
PrintLastLog no
MaxSessions 50
MaxStartups 50
$startup_files
LogLevel VERBOSE
CONF
  : > "$ssh_dir/sshd.log"
  /usr/sbin/sshd -D -e -f "$ssh_dir/sshd_config" </dev/null >/dev/null 2>>"$ssh_dir/sshd.log" &
  sshd_pid=$!
  for _ in $(seq 200); do
    grep -q "Server listening on 127.0.0.1 port $candidate\." "$ssh_dir/sshd.log" && { port=$candidate; break; }
    kill -0 "$sshd_pid" 2>/dev/null || break
    sleep 0.05
  done
  [[ -n $port ]] && break
  kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true; sshd_pid=
done
[[ -n $port ]] || { echo "sshd did not start:" >&2; cat "$ssh_dir/sshd.log" >&2; exit 1; }
read -r key_type key_data _ < "$ssh_dir/host_key.pub"
echo "[127.0.0.1]:$port $key_type $key_data" > "$ssh_dir/known_hosts"

