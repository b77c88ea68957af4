#!/usr/bin/env bash
# A place to try BtrfsBackup without spare disks: two btrfs filesystems on sparse image files.
#   sudo contrib/demo.sh up       make and mount them where backup_config.toml points
#   sudo contrib/demo.sh unplug   unmount the backup filesystem (a disk that is not plugged in)
#   sudo contrib/demo.sh plug     mount it again
#   sudo contrib/demo.sh down     unmount, detach and delete everything it made
set -euo pipefail

images=/var/tmp/btrfsbackup-demo
mounts=/mnt/btrfsbackup-demo
size=${DEMO_IMAGE_SIZE:-1G}

mount_image() { # image mountpoint
  mkdir -p "$2"
  mountpoint -q "$2" || mount -o loop "$1" "$2"
}

case "${1:-}" in
  up)
    mkdir -p "$images"
    for name in system backup; do
      if [ ! -f "$images/$name.img" ]; then
        truncate -s "$size" "$images/$name.img"
        mkfs.btrfs -q "$images/$name.img" >/dev/null 2>&1
      fi
      mount_image "$images/$name.img" "$mounts/$name"
    done
    for pair in home root; do
      [ -d "$mounts/system/$pair" ] || btrfs subvolume create "$mounts/system/$pair" >/dev/null
      mkdir -p "$mounts/backup/$pair"
    done
    echo "hello from the demo" > "$mounts/system/home/hello.txt"
    date > "$mounts/system/root/installed-at.txt"
    echo "Demo ready: sources $mounts/system/{home,root}, backups in $mounts/backup."
    echo "Next: dotnet cake --target=nightly   (or --target=list)"
    ;;
  unplug)
    umount "$mounts/backup"
    echo "Backup filesystem unmounted; $mounts/backup is now a plain directory on the system disk."
    ;;
  plug)
    mount_image "$images/backup.img" "$mounts/backup"
    echo "Backup filesystem mounted again at $mounts/backup."
    ;;
  down)
    for name in backup system; do
      if mountpoint -q "$mounts/$name"; then umount "$mounts/$name"; fi
    done
    rm -rf "$images" "$mounts"
    echo "Demo removed."
    ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
