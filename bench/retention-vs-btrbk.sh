#!/bin/bash
# Compares our calendar retention with btrbk's own planner on the same year of hourly snapshots.
#
# Our side: the kept snapshots in tests/BtrfsBackup.Tasks.Tests/Reference/calendar-plans/NAME.txt
# (CalendarPlanReferenceTests: 8760 hourly snapshots named in Europe/Berlin, from
# 2025-12-01T00:00+01:00 to 2026-11-30T23:00+01:00, planned at 2026-12-01T00:30+01:00).
# btrbk's side: the same 8760 instants as real read-only snapshots (empty) on a loop-device btrfs,
# named btrbk's way (home.20251201T000000+0100, timestamp_format long-iso), and
# `btrbk -n -S prune` run under TZ=Europe/Berlin at the same instant (libfaketime), with
# `snapshot_preserve_min latest` (our "newest at this location") and the same policy.
#
# Needs root, btrfs-progs, btrbk and faketime (apt-get install btrbk faketime). Changes nothing
# outside its own temporary folder; the loop device and mount are removed however it ends.
# Output: a Markdown table per policy and the differing snapshots with both sides' reasons
# (docs/retention.md holds a copy). Usage: sudo bench/retention-vs-btrbk.sh [OUTPUT.md]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
plans="$repo/tests/BtrfsBackup.Tasks.Tests/Reference/calendar-plans"
output=${1:-/dev/stdout}
for tool in btrbk faketime btrfs mkfs.btrfs losetup; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install btrbk faketime btrfs-progs)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run as root: btrfs snapshots need it" >&2; exit 1; }

work=$(mktemp -d /tmp/retention-vs-btrbk.XXXXXX)
loop=""
cleanup() {
    if mountpoint -q "$work/mnt"; then umount "$work/mnt"; fi
    if [ -n "$loop" ]; then losetup -d "$loop"; fi
    rm -rf "$work"
}
trap cleanup EXIT

truncate -s 1G "$work/image"
mkfs.btrfs -q "$work/image"
loop=$(losetup --find --show "$work/image")
mkdir "$work/mnt"
mount "$loop" "$work/mnt"
btrfs -q subvolume create "$work/mnt/home"
mkdir "$work/mnt/snapshots"

# The year's names, in btrbk's long-iso spelling, as Berlin's clock read them.
first=$(date -d '2025-11-30T23:00:00Z' +%s)
TZ=Europe/Berlin perl -MPOSIX=strftime -e 'for my $h (0..8759) { print "home.", strftime("%Y%m%dT%H%M%S%z", localtime($ARGV[0] + 3600 * $h)), "\n" }' "$first" > "$work/names"
echo "creating $(wc -l < "$work/names") read-only snapshots..." >&2
# One process for all of them: BTRFS_IOC_SNAP_CREATE_V2 with BTRFS_SUBVOL_RDONLY, as `btrfs subvolume
# snapshot -r` does (8760 runs of the btrfs program took over twenty minutes on a loaded machine).
perl -MFcntl -e '
    sysopen(my $source, $ARGV[0], O_RDONLY | O_DIRECTORY) or die "$ARGV[0]: $!";
    sysopen(my $folder, $ARGV[1], O_RDONLY | O_DIRECTORY) or die "$ARGV[1]: $!";
    while (my $name = <STDIN>) {
        chomp $name;
        # struct btrfs_ioctl_vol_args_v2: fd, transid, flags (2: read-only), 32 bytes unused, name[4040]
        my $arguments = pack("q Q Q x32 a4040", fileno($source), 0, 2, $name);
        ioctl($folder, 0x50009417, $arguments) or die "snapshot $name: $!";
    }' "$work/mnt/home" "$work/mnt/snapshots" < "$work/names"
[ "$(ls "$work/mnt/snapshots" | wc -l)" = 8760 ] || { echo "not every snapshot was made" >&2; exit 1; }
btrfs subvolume show "$work/mnt/snapshots/$(head -1 "$work/names")" | grep -q 'Flags:.*readonly' || { echo "the snapshots are not read-only" >&2; exit 1; }

# name policy-in-btrbk preserve_day_of_week preserve_hour_of_day
policies=(
    "desktop-source|24h 7d 4w|monday|0"
    "backup-disk|14d 8w *m|monday|0"
    "server-archive|48h 31d 26w 12m *y|sunday|3"
)

{
for entry in "${policies[@]}"; do
    IFS='|' read -r name preserve dow hod <<< "$entry"
    cat > "$work/btrbk.conf" <<CONF
timestamp_format        long-iso
snapshot_preserve_min   latest
snapshot_preserve       $preserve
preserve_day_of_week    $dow
preserve_hour_of_day    $hod
snapshot_create         no
lockfile                $work/btrbk.lock
volume $work/mnt
  snapshot_dir snapshots
  subvolume home
CONF
    # -S prints the schedule: one line per snapshot, preserved or deleted, and why.
    TZ=Europe/Berlin faketime '2026-12-01 00:30:00' btrbk -c "$work/btrbk.conf" -n -S prune > "$work/$name.btrbk" 2>"$work/$name.err" || true
    # "ACTION  PATH/home.TIMESTAMP  SCHEME (day, hh:mm)  REASON": "-" keeps, "delete" deletes. Rows: name, action, reason.
    perl -ne 'print "$2\t$1\t$3\n" if m{^(-|delete)\s+\S*/(home\.\d{8}T\d{6}[+-]\d{4})\s+.*?\)\s+(.*)$}' "$work/$name.btrbk" > "$work/$name.rows"
    # Ours: "keep   2026-11-30T23:00:00+01:00  # reasons", in btrbk's spelling.
    grep '^keep ' "$plans/$name.txt" | perl -ne 'if (/^keep\s+(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-]\d\d):(\d\d)\s+# (.*)$/) { print "home.$1$2$3T$4$5$6$7$8\t$9\n" }' > "$work/$name.ours"
    awk -F'\t' '$2 == "-" {print $1}' "$work/$name.rows" | sort > "$work/$name.btrbk-kept"
    [ "$(wc -l < "$work/$name.rows")" = 8760 ] || { echo "$name: btrbk's schedule has $(wc -l < "$work/$name.rows") rows, not 8760; see $work/$name.err" >&2; cat "$work/$name.err" >&2; exit 1; }
    cut -f1 "$work/$name.ours" | sort > "$work/$name.ours-kept"
    both=$(comm -12 "$work/$name.ours-kept" "$work/$name.btrbk-kept" | wc -l)
    only_ours=$(comm -23 "$work/$name.ours-kept" "$work/$name.btrbk-kept")
    only_btrbk=$(comm -13 "$work/$name.ours-kept" "$work/$name.btrbk-kept")
    echo "### $name: btrbk \`snapshot_preserve $preserve\`, preserve_day_of_week $dow, preserve_hour_of_day $hod"
    echo
    echo "| | ours | btrbk | both | only ours | only btrbk |"
    echo "| --- | --- | --- | --- | --- | --- |"
    echo "| kept of 8760 | $(wc -l < "$work/$name.ours-kept") | $(wc -l < "$work/$name.btrbk-kept") | $both | $(printf '%s' "$only_ours" | grep -c . || true) | $(printf '%s' "$only_btrbk" | grep -c . || true) |"
    echo
    if [ -n "$only_ours$only_btrbk" ]; then
        echo "| snapshot | kept by | our reason | btrbk's reason |"
        echo "| --- | --- | --- | --- |"
        for snapshot in $only_ours; do
            echo "| $snapshot | ours | $(grep -F "$snapshot" "$work/$name.ours" | cut -f2) | $(grep -F "$snapshot" "$work/$name.rows" | cut -f3) |"
        done
        for snapshot in $only_btrbk; do
            echo "| $snapshot | btrbk | (deleted) | $(grep -F "$snapshot" "$work/$name.rows" | cut -f3) |"
        done
        echo
    fi
done
} > "$output"
