using System.Text;
using DeviceNotify.Linux;
using DeviceNotify.Parsing;

namespace DeviceNotify.Tests.Unit;

/// <summary>The pure parsers behind the holder scan: /proc/PID/stat, /proc/PID/maps, /proc/swaps, mountinfo's optional fields.</summary>
public class ProcParserTests
{
    [Theory]
    [InlineData("1234 (sleep) S 1 1234 1234 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 987654 8192000 200 18446744073709551615\n", 987654UL)]
    [InlineData("77 (x) 1 2 (y) R 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42 0 0 0\n", 42UL)]        // a command holding ") "
    [InlineData("9 (a b c) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 555", 555UL)]
    public void Start_time_is_field_22_counted_from_the_last_parenthesis(string stat, ulong expected)
    {
        Assert.True(ProcStatParser.TryParseStartTime(Encoding.UTF8.GetBytes(stat), out var start));
        Assert.Equal(expected, start);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234 sleep S 1")]
    [InlineData("1234 (sleep) S 1 2 3")]
    [InlineData("1 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 notanumber")]
    public void A_stat_line_without_a_start_time_is_refused(string stat)
        => Assert.False(ProcStatParser.TryParseStartTime(Encoding.UTF8.GetBytes(stat), out _));

    [Fact]
    public void Maps_yield_the_files_of_the_given_devices_once_each()
    {
        const string maps = """
            55d4c6a00000-55d4c6a28000 r--p 00000000 fe:00 1835010                    /usr/bin/bash
            7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0
            7f1c2b000000-7f1c2b100000 r--p 00000000 07:03 12                         /tmp/devnotify-mnt-x/data base.bin
            7f1c2b100000-7f1c2b200000 r-xp 00100000 07:03 12                         /tmp/devnotify-mnt-x/data base.bin
            7f1c2c000000-7f1c2c001000 rw-s 00000000 103:1a0 99                       /srv/big minor (deleted)
            7ffd5b1f0000-7ffd5b211000 rw-p 00000000 00:00 0                          [stack]
            garbage line
            """;
        var found = ProcMapsParser.MappedFiles(Encoding.UTF8.GetBytes(maps), new HashSet<(int, int)> { (7, 3), (0x103, 0x1a0) });
        Assert.Equal(["/tmp/devnotify-mnt-x/data base.bin", "/srv/big minor (deleted)"], found);
    }

    [Fact]
    public void Swaps_unescape_paths_and_tell_partitions_from_files()
    {
        const string swaps = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" +
                             "/dev/sdb2                               partition\t8388604\t\t0\t\t-2\n" +
                             "/mnt/vol/swap\\040file                    file\t\t4092\t\t0\t\t-3\n";
        var areas = SwapsParser.Parse(Encoding.UTF8.GetBytes(swaps));
        Assert.Equal([new SwapsParser.SwapArea("/dev/sdb2", true), new SwapsParser.SwapArea("/mnt/vol/swap file", false)], areas);
    }

    [Fact]
    public void Mountinfo_optional_fields_give_the_peer_groups()
    {
        const string line = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue";
        Assert.True(MountInfoParser.TryParseLine(Encoding.UTF8.GetBytes(line), out var m));
        Assert.Equal((7, 1), (m!.SharedPeerGroup, m.MasterPeerGroup));
        Assert.True(MountInfoParser.TryParseLine("40 1 7:2 / /x rw - ext4 /dev/loop2 rw"u8, out var plain));
        Assert.Equal((null, null), (plain!.SharedPeerGroup, plain.MasterPeerGroup));
    }

    [Fact]
    public void A_path_belongs_to_the_deepest_mount_and_to_the_top_of_a_stack()
    {
        static MountPoint M(int id, int parent, int minor, string path) => new()
        {
            MountId = id, ParentId = parent, Major = 7, Minor = minor, Root = "/", Path = path,
            Options = "rw", FileSystemType = "ext4", Source = "/dev/loop" + minor, SuperOptions = "rw",
        };
        var mounts = new[] { M(1, 1, 0, "/"), M(2, 1, 1, "/mnt/a"), M(3, 2, 2, "/mnt/a/sub"), M(4, 2, 3, "/mnt/a") };
        Assert.Equal(2, MountTable.Containing("/mnt/ab/file", mounts)!.Minor == 0 ? 2 : -1);
        Assert.Equal(2, MountTable.Containing("/mnt/a/sub/f", mounts)!.Minor);
        Assert.Equal(3, MountTable.Containing("/mnt/a/f", mounts)!.Minor);        // B (mount 4) covers A (mount 2)
        Assert.Equal(0, MountTable.Containing("/etc/passwd", mounts)!.Minor);
    }
}
