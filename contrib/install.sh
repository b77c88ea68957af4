#!/usr/bin/env bash
# Installs btrfsbackup as a system command, from this checkout (as root):
#   sudo contrib/install.sh
# It compiles the program to native code for this machine's architecture (Native AOT: one file,
# linked by gcc) into /usr/local/lib/btrfsbackup, links /usr/local/bin/btrfsbackup to it, puts the example
# configuration at /etc/btrfsbackup/backup_config.toml unless one is there already, and the
# systemd service and timer into /usr/local/lib/systemd/system (not enabled: see the README), and the
# man page btrfsbackup(8), written by the program itself from its --help text, into /usr/local/share/man/man8.
# DESTDIR=/some/root installs below that folder instead (packaging, tests). What it installed is
# listed in /usr/local/lib/btrfsbackup/installed-files, which contrib/uninstall.sh removes.
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
root=${DESTDIR:-}
lib=$root/usr/local/lib/btrfsbackup
bin=$root/usr/local/bin
units=$root/usr/local/lib/systemd/system
man8=$root/usr/local/share/man/man8
config_dir=$root/etc/btrfsbackup
manifest=$lib/installed-files

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "install.sh: Native AOT has no .NET runtime identifier for $(uname -m)" >&2; exit 1 ;;
esac
# Native AOT hands the compiled code to the C compiler to link (BtrfsBackup.Cli.csproj names gcc).
# gcc without libc6-dev (its C start files) cannot link a program either.
if ! command -v gcc >/dev/null 2>&1 || [ "$(gcc -print-file-name=crt1.o)" = crt1.o ]; then
  echo "install.sh: gcc is needed to link the program: sudo apt install gcc libc6-dev (Debian's build-essential has both)" >&2
  exit 1
fi

# Built with its own build output (artifacts/install, reused by the next install), so that a build
# or test run in the checkout meanwhile is not disturbed; published into a temporary folder, then
# copied file by file, each one recorded.
stage=$(mktemp -d /tmp/btrfsbackup-install.XXXXXX)
trap 'rm -rf "$stage"' EXIT
echo "Compiling btrfsbackup to native code ($rid, Native AOT; about a minute)..."
dotnet publish "$checkout/src/BtrfsBackup.Cli" -c Release -r "$rid" --artifacts-path "$checkout/artifacts/install" -o "$stage/program" --nologo -v quiet >"$stage/publish.log" 2>&1 \
  || { cat "$stage/publish.log" >&2; echo "install.sh: dotnet publish failed" >&2; exit 1; }
"$stage/program/btrfsbackup" --man > "$stage/btrfsbackup.8" \
  || { echo "install.sh: the published program could not write its man page" >&2; exit 1; }

# A previous install's files go first, so that none of them is left behind unlisted.
if [ -f "$manifest" ]; then
  DESTDIR="$root" "$checkout/contrib/uninstall.sh" --quiet
fi

# Never over a command or unit that is not ours (a previous install's were removed above).
for taken in "$bin/btrfsbackup" "$units/btrfsbackup-nightly.service" "$units/btrfsbackup-nightly.timer" "$man8/btrfsbackup.8"; do
  if [ -e "$taken" ] || [ -L "$taken" ]; then
    echo "install.sh: $taken exists and is not from a previous install.sh; move it away first" >&2
    exit 1
  fi
done
mkdir -p "$lib" "$bin" "$units" "$man8"
installed=()
# The program is one file; publish leaves symbols and documentation beside it, which are not installed.
install -m 0755 "$stage/program/btrfsbackup" "$lib/btrfsbackup"
installed+=(/usr/local/lib/btrfsbackup/btrfsbackup)

install -m 0644 "$checkout/README.md" "$lib/README.md"
installed+=(/usr/local/lib/btrfsbackup/README.md)

ln -sfn ../lib/btrfsbackup/btrfsbackup "$bin/btrfsbackup"
installed+=(/usr/local/bin/btrfsbackup)

for unit in btrfsbackup-nightly.service btrfsbackup-nightly.timer; do
  install -m 0644 "$checkout/contrib/systemd/$unit" "$units/$unit"
  installed+=("/usr/local/lib/systemd/system/$unit")
done

install -m 0644 "$stage/btrfsbackup.8" "$man8/btrfsbackup.8"
installed+=(/usr/local/share/man/man8/btrfsbackup.8)

# The configuration is the user's: installed once, never replaced, never removed.
if [ -e "$config_dir/backup_config.toml" ]; then
  echo "Kept the configuration already at /etc/btrfsbackup/backup_config.toml."
else
  install -d -m 0755 "$config_dir"
  install -m 0644 "$checkout/backup_config.toml" "$config_dir/backup_config.toml"
  echo "Installed the example configuration at /etc/btrfsbackup/backup_config.toml: edit it for your disks."
fi

printf '%s\n' "${installed[@]}" /usr/local/lib/btrfsbackup/installed-files > "$manifest"
echo "Installed btrfsbackup ($(wc -l < "$manifest") files): try 'man btrfsbackup', 'btrfsbackup --help', 'sudo btrfsbackup nightly --dryrun'."
echo "Nightly at 03:00: sudo systemctl daemon-reload && sudo systemctl enable --now btrfsbackup-nightly.timer"
