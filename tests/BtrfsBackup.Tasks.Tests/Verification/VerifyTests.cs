using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Tests.BadInputs;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Verification;

/// <summary>
/// <c>btrfsbackup verify</c> on real filesystems: a good backup passes (after a full and after an
/// incremental send), a backup changed after the fact is caught with exit code 4 and the path named,
/// and what send/receive does not carry is reported apart without failing.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class VerifyTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondNight = FirstNight.AddDays(1);
    private BackupPair home = null!;
    private string config = null!;

    [SetUp]
    public void CreatePairWithVariedTree()
    {
        home = PairLayout.Create(Sandbox, "home");
        var source = home.Source;
        Directory.CreateDirectory(Path.Combine(source, "docs", "deep"));
        File.WriteAllText(Path.Combine(source, "docs", "notes.txt"), "some notes\n");
        File.WriteAllBytes(Path.Combine(source, "docs", "deep", "data.bin"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());
        File.CreateSymbolicLink(Path.Combine(source, "docs", "link"), "notes.txt");
        Shell.Run("ln", Path.Combine(source, "docs", "notes.txt"), Path.Combine(source, "hardlink.txt"));
        File.SetUnixFileMode(Path.Combine(source, "docs", "notes.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ExtendedAttributes.Set(Path.Combine(source, "hello.txt"), "user.comment", "kept");
        config = ConfigFile.Write(Sandbox.Root, home);
    }

    [Test]
    public void A_good_backup_is_identical_after_a_full_and_after_an_incremental_send()
    {
        Nightly(FirstNight);
        var full = CakeAt(FirstNight, "verify", $"--config={config}");
        Assert.That(full.ExitCode, Is.EqualTo(ExitCodes.Success), full.ToString());
        Assert.That(full.Output, Does.Contain($"verify home: backup {home.Target}/{FakeClock.SnapshotName(FirstNight, "UTC")} is identical to snapshot {home.SnapshotDir}/{FakeClock.SnapshotName(FirstNight, "UTC")}"));

        // Renames, a new file, a removed one, an appended one and a changed xattr travel in the incremental.
        Directory.Move(Path.Combine(home.Source, "docs", "deep"), Path.Combine(home.Source, "moved"));
        File.AppendAllText(Path.Combine(home.Source, "hello.txt"), "more\n");
        File.Delete(Path.Combine(home.Source, "hardlink.txt"));
        File.WriteAllText(Path.Combine(home.Source, "new.txt"), "new\n");
        ExtendedAttributes.Set(Path.Combine(home.Source, "hello.txt"), "user.comment", "changed");
        Nightly(SecondNight);

        var incremental = CakeAt(SecondNight, "verify", $"--config={config}", "--all-backups");
        Assert.That(incremental.ExitCode, Is.EqualTo(ExitCodes.Success), incremental.ToString());
        Assert.That(incremental.Output, Does.Contain($"{FakeClock.SnapshotName(FirstNight, "UTC")} is identical to snapshot"));
        Assert.That(incremental.Output, Does.Contain($"{FakeClock.SnapshotName(SecondNight, "UTC")} is identical to snapshot"));
        Assert.That(incremental.Output, Does.Not.Contain("DIFFERS"));
    }

    [Test]
    public void One_byte_changed_in_a_backup_keeping_size_and_mtime_is_caught_by_content_with_exit_code_4_and_its_path()
    {
        Nightly(FirstNight);
        var backup = NewestBackup();
        ChangeWhileWritable(backup, keepReceivedUuid: true, () =>
        {
            var file = Path.Combine(backup, "docs", "deep", "data.bin");
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
            {
                stream.Position = 123_456;
                stream.WriteByte(0xff);
            }

            // The snapshot's own mtime, to the nanosecond.
            Shell.Run("touch", "-m", "-r", Path.Combine(home.SnapshotDir, Path.GetFileName(backup), "docs", "deep", "data.bin"), file);
        });

        var metadata = CakeAt(FirstNight, "verify", $"--config={config}", "--verify=metadata");
        Assert.That(metadata.ExitCode, Is.EqualTo(ExitCodes.Success), "a quick check sees only metadata, which is intact here: " + metadata);
        var content = CakeAt(FirstNight, "verify", $"--config={config}");
        Assert.That(content.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), content.ToString());
        Assert.That(content.Output, Does.Contain("DIFFERS"));
        Assert.That(content.Output, Does.Contain("docs/deep/data.bin: content differs (same size and mtime, different checksum)"));
        Assert.That(content.All, Does.Contain("verify found differences in 1 of 1 pair(s): home"));
    }

    [Test]
    public void A_changed_mode_xattr_and_symlink_target_are_each_caught()
    {
        Nightly(FirstNight);
        var backup = NewestBackup();
        ChangeWhileWritable(backup, keepReceivedUuid: true, () =>
        {
            File.SetUnixFileMode(Path.Combine(backup, "docs", "notes.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            ExtendedAttributes.Set(Path.Combine(backup, "hello.txt"), "user.comment", "edit");
            File.Delete(Path.Combine(backup, "docs", "link"));
            File.CreateSymbolicLink(Path.Combine(backup, "docs", "link"), "elsewhere.txt");
        });

        var result = CakeAt(FirstNight, "verify", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), result.ToString());
        Assert.That(result.Output, Does.Contain("docs/notes.txt: mode 0600 in the snapshot, 0604 in the backup"));
        Assert.That(result.Output, Does.Contain("hello.txt: extended attribute user.comment differs"));
        Assert.That(result.Output, Does.Contain("docs/link: symlink to 'notes.txt' in the snapshot, to 'elsewhere.txt' in the backup"));
    }

    [Test]
    public void A_hard_link_broken_in_the_backup_is_caught_though_every_file_keeps_its_data_mode_and_mtime()
    {
        Nightly(FirstNight);
        var backup = NewestBackup();
        ChangeWhileWritable(backup, keepReceivedUuid: true, () =>
        {
            // One name of the pair replaced by a copy (cp -a keeps mode, owner, mtime and data): two inodes where there was one.
            var link = Path.Combine(backup, "hardlink.txt");
            Shell.Run("cp", "-a", link, link + ".copy");
            File.Move(link + ".copy", link, overwrite: true);
        });
        Assert.That(new FileInfo(Path.Combine(backup, "hardlink.txt")).Length, Is.EqualTo(new FileInfo(Path.Combine(backup, "docs", "notes.txt")).Length));

        var result = CakeAt(FirstNight, "verify", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), result.ToString());
        Assert.That(result.Output, Does.Contain("hardlink.txt: a hard link of docs/notes.txt in the snapshot, 1 link(s) in the backup"));
        Assert.That(result.Output, Does.Contain("docs/notes.txt: 2 link(s) in the snapshot, 1 link(s) in the backup"));
        Assert.That(result.Output, Does.Contain("2 difference(s)"), "only the links differ: " + result.Output);
    }

    [Test]
    public void A_name_that_is_not_utf8_renamed_in_the_backup_to_another_such_name_is_caught()
    {
        // Bytes 0xff and 0xfe are not UTF-8: a lossy decoding would read both names alike.
        Shell.Run("bash", "-c", "printf same > \"$1\"/$'odd\\xff'", "bash", home.Source);
        Nightly(FirstNight);
        var backup = NewestBackup();
        ChangeWhileWritable(backup, keepReceivedUuid: true, () => Shell.Run("bash", "-c", "cd \"$1\" && mv $'odd\\xff' $'odd\\xfe'", "bash", backup));

        var result = CakeAt(FirstNight, "verify", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), result.ToString());
        Assert.That(result.Output, Does.Contain("2 difference(s)"), "one name only in the snapshot, one only in the backup: " + result.Output);
    }

    [Test]
    public void Metadata_mode_catches_a_backup_made_writable_and_content_mode_names_what_was_changed()
    {
        Nightly(FirstNight);
        var backup = NewestBackup();
        Shell.Run("btrfs", "property", "set", "-f", "-ts", backup, "ro", "false");
        File.WriteAllText(Path.Combine(backup, "hello.txt"), "HELLO from home\n");

        var metadata = CakeAt(FirstNight, "verify", $"--config={config}", "--verify=metadata");
        Assert.That(metadata.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), metadata.ToString());
        Assert.That(metadata.Output, Does.Contain("the backup is writable (its read-only flag was cleared)"));
        Assert.That(metadata.Output, Does.Contain("the backup has no Received UUID"));

        // Read-only again: its Received UUID is gone for good, and content names the file.
        Shell.Run("btrfs", "property", "set", "-ts", backup, "ro", "true");
        var content = Cake("verify", $"--config={config}");
        Assert.That(content.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), content.ToString());
        Assert.That(content.Output, Does.Contain("hello.txt: content differs"));
        Assert.That(content.Output, Does.Not.Contain("the backup is writable"));
    }

    [Test]
    public void Inode_flags_and_space_preallocated_past_eof_are_reported_apart_and_pass()
    {
        var noCow = Path.Combine(home.Source, "vm.img");
        File.WriteAllBytes(noCow, []);
        Shell.Run("chattr", "+C", noCow);
        File.WriteAllBytes(noCow, new byte[8192]);
        var preallocated = Path.Combine(home.Source, "log.txt");
        File.WriteAllText(preallocated, "a line\n");
        Shell.Run("fallocate", "-n", "-o", "0", "-l", "1048576", preallocated);
        Nightly(FirstNight);

        var result = CakeAt(FirstNight, "verify", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Output, Does.Contain("not carried by send/receive (not a difference):"));
        Assert.That(result.Output, Does.Contain("vm.img: inode flags +C in the snapshot, none in the backup (chattr)"));
        Assert.That(result.Output, Does.Contain("log.txt: preallocated space past EOF"));
        Assert.That(result.Output, Does.Contain("is identical to snapshot"));
    }

    [Test]
    public void A_backup_whose_source_snapshot_was_purged_is_reported_as_not_compared_and_passes()
    {
        Nightly(FirstNight);
        File.AppendAllText(Path.Combine(home.Source, "hello.txt"), "more\n");
        Nightly(SecondNight);
        Shell.Run("btrfs", "subvolume", "delete", Path.Combine(home.SnapshotDir, FakeClock.SnapshotName(FirstNight, "UTC")));

        var result = CakeAt(SecondNight, "verify", $"--config={config}", "--all-backups");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Output, Does.Contain($"{FakeClock.SnapshotName(FirstNight, "UTC")}: metadata is as received; source snapshot gone, content not compared."));
        Assert.That(result.Output, Does.Contain($"{FakeClock.SnapshotName(SecondNight, "UTC")} is identical to snapshot"));
    }

    [Test]
    public void A_pair_without_backups_skips_verify_with_the_reason()
    {
        var result = Cake("verify", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Output, Does.Match(@"Verify:home\s+-\s+Skipped\s+no backup to verify"));
    }

    [Test]
    public void Under_dotnet_cake_a_corrupted_backup_exits_with_code_4_too()
    {
        Nightly(FirstNight);
        var backup = NewestBackup();
        ChangeWhileWritable(backup, keepReceivedUuid: false, () => File.WriteAllText(Path.Combine(backup, "hello.txt"), "HELLO from home\n"));

        var result = CakeScript("--target=verify", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.VerifyFoundDifferences), result.ToString());
        Assert.That(result.Output, Does.Contain("hello.txt: content differs"));
    }

    private void Nightly(DateTimeOffset instant)
    {
        var result = CakeAt(instant, "nightly", $"--config={config}");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    private string NewestBackup() => Directory.GetDirectories(home.Target!).Order(StringComparer.Ordinal).Last();

    // As a user would: writable (keeping the Received UUID through the kernel, or with btrfs-progs, which clears it), change, read-only again.
    private static void ChangeWhileWritable(string backup, bool keepReceivedUuid, Action change)
    {
        if (keepReceivedUuid)
        {
            ReceivedSubvolume.MakeWritableKeepingReceivedUuid(backup);
        }
        else
        {
            Shell.Run("btrfs", "property", "set", "-f", "-ts", backup, "ro", "false");
        }

        change();
        Shell.Run("btrfs", "property", "set", "-ts", backup, "ro", "true");
    }
}
