using System.Text;
using DeviceNotify.Parsing;

namespace DeviceNotify.Tests.Unit;

public class MountInfoParserTests
{
    [Fact]
    public void Parses_real_lines_with_optional_fields_and_escapes()
    {
        var text = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            88 27 7:3 / /mnt/my\040disk rw,nosuid master:4 shared:9 - ext4 /dev/loop3 ro,errors=remount-ro
            89 27 7:3 /sub /srv/bind ro,relatime - ext4 /dev/loop3 rw

            """;
        var mounts = MountInfoParser.Parse(Encoding.UTF8.GetBytes(text), out int malformed);
        Assert.Equal(0, malformed);
        Assert.Equal(4, mounts.Count);
        var disk = mounts[2];
        Assert.Equal(88, disk.MountId);
        Assert.Equal(27, disk.ParentId);
        Assert.Equal((7, 3), (disk.Major, disk.Minor));
        Assert.Equal("/mnt/my disk", disk.Path);
        Assert.Equal("ext4", disk.FileSystemType);
        Assert.Equal("/dev/loop3", disk.Source);
        Assert.True(disk.IsReadOnly);                       // read-only superblock
        Assert.Equal("/sub", mounts[3].Root);
        Assert.True(mounts[3].IsReadOnly);                  // read-only mount
        Assert.False(mounts[1].IsReadOnly);
    }

    [Theory]
    [InlineData("22 27 0:21 / /proc rw,relatime proc proc rw")]               // no separator
    [InlineData("22 27 021 / /proc rw,relatime - proc proc rw")]               // bad device number
    [InlineData("x 27 0:21 / /proc rw,relatime - proc proc rw")]               // bad id
    [InlineData("22 27 0:21 / proc rw,relatime - proc proc rw")]               // relative mount point
    [InlineData("22 27 0:21 / /p\\09x rw - proc proc rw")]                      // broken escape
    [InlineData("22 27 0:21 / /p\\0 rw - proc proc rw")]                        // truncated escape
    [InlineData("22 27 0:21 / /proc rw,relatime - proc proc")]                 // too few fields after "-"
    public void Malformed_lines_are_dropped_and_counted(string line)
    {
        var mounts = MountInfoParser.Parse(Encoding.UTF8.GetBytes(line + "\n22 27 0:21 / /proc rw - proc proc rw\n"), out int malformed);
        Assert.Equal(1, malformed);
        Assert.Single(mounts);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(3);
        var seed = Encoding.UTF8.GetBytes("88 27 7:3 / /mnt/my\\040disk rw,nosuid master:4 - ext4 /dev/loop3 rw\n");
        for (int i = 0; i < 20_000; i++)
        {
            var b = (byte[])seed.Clone();
            for (int k = rng.Next(1, 5); k > 0; k--)
                b[rng.Next(b.Length)] = (byte)"0123456789 -:/\\\n"[rng.Next(16)];
            MountInfoParser.Parse(b, out _);
        }
    }

    [Fact]
    public void This_machines_mount_table_parses_completely()
    {
        var content = File.ReadAllBytes("/proc/self/mountinfo");
        var mounts = MountInfoParser.Parse(content, out int malformed);
        Assert.Equal(0, malformed);
        Assert.Contains(mounts, m => m.Path == "/");
        Assert.Equal(content.Count(b => b == '\n'), mounts.Count);
    }
}
