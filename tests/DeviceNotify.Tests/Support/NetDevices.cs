using System.Text;

namespace DeviceNotify.Tests.Support;

/// <summary>Creates and removes real network interfaces (tap, veth) with unique names; always cleans up.</summary>
internal static class NetDevices
{
    /// <summary>Every interface the tests create starts with this, so a sweep can find leftovers.</summary>
    public const string Prefix = "dnt";
    private static int s_counter;
    private static readonly string s_run = Random.Shared.Next(0x1000, 0xffff).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fresh interface name (at most 15 characters, the kernel's IFNAMSIZ - 1).</summary>
    public static string UniqueName() => $"{Prefix}{s_run}{Interlocked.Increment(ref s_counter)}";

    public static void CreateTap(string name) => Shell.Check("ip", $"tuntap add dev {name} mode tap");

    public static void CreateVeth(string name, string peer) => Shell.Check("ip", $"link add {name} type veth peer name {peer}");

    public static void Delete(string name) => Shell.Run("ip", $"link del {name}");

    public static SortedSet<string> ClassNet() => new(Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName)
        .Where(n => Directory.Exists("/sys/class/net/" + n))!, StringComparer.Ordinal);

    /// <summary>
    /// Creates <paramref name="count"/> taps named <paramref name="prefix"/>0.. in one ip process and puts them in
    /// netdev group <paramref name="group"/>, so <see cref="DeleteGroup"/> removes them all in one batched call.
    /// </summary>
    public static void CreateTapStorm(string prefix, int count, int group)
    {
        var batch = new StringBuilder();
        for (int i = 0; i < count; i++)
            batch.Append("tuntap add dev ").Append(prefix).Append(i).Append(" mode tap\nlink set dev ").Append(prefix).Append(i).Append(" group ").Append(group).Append('\n');
        Shell.Check("ip", "-batch -", batch.ToString());
    }

    public static void DeleteGroup(int group) => Shell.Run("ip", $"link del group {group}");

    public static void SweepLeftovers()
    {
        foreach (var name in ClassNet().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
            Delete(name);
    }
}
