#!/usr/bin/env bash
# Removes what contrib/install.sh installed, exactly the files listed in
# /usr/local/lib/btrfsbackup/installed-files (with DESTDIR, below it), and the folders it made
# once they are empty. Never the configuration in /etc/btrfsbackup, which is yours, nor the run
# history in /var/lib/btrfsbackup. Stop the timer first: sudo systemctl disable --now btrfsbackup-nightly.timer
#   sudo contrib/uninstall.sh
set -euo pipefail
root=${DESTDIR:-}
manifest=$root/usr/local/lib/btrfsbackup/installed-files
quiet=${1:-}

if [ ! -f "$manifest" ]; then
  echo "uninstall.sh: $manifest not found: nothing installed by contrib/install.sh here" >&2
  exit 1
fi

count=0
while IFS= read -r file; do
  case "$file" in
    */../*|*/./*|*/..|*/.) echo "uninstall.sh: $file in the list has a . or .. component; left alone" >&2; continue ;;
    /usr/local/lib/btrfsbackup/*|/usr/local/bin/btrfsbackup|/usr/local/lib/systemd/system/btrfsbackup-nightly.*|/usr/local/share/man/man8/btrfsbackup.8) ;;
    *) echo "uninstall.sh: $file in the list is not a place install.sh writes to; left alone" >&2; continue ;;
  esac
  # The command's link only while it is still ours: an admin may have put another program there since.
  if [ "$file" = /usr/local/bin/btrfsbackup ] && [ "$(readlink "$root$file" 2>/dev/null)" != ../lib/btrfsbackup/btrfsbackup ]; then
    echo "uninstall.sh: $root$file is no longer the link install.sh made; left alone" >&2
    continue
  fi
  if [ -L "$root$file" ] || [ -f "$root$file" ]; then
    rm -f "$root$file"
    count=$((count + 1))
  fi
done < "$manifest"

# The program's folder and its subfolders (resource languages), once empty; nothing else.
if [ -d "$root/usr/local/lib/btrfsbackup" ]; then
  find "$root/usr/local/lib/btrfsbackup" -depth -type d -empty -delete
fi

[ "$quiet" = --quiet ] || echo "Removed $count files of btrfsbackup. Kept /etc/btrfsbackup (your configuration) and /var/lib/btrfsbackup (the run history)."
