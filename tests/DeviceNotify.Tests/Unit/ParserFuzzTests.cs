using System.Text;
using DeviceNotify.Parsing;

namespace DeviceNotify.Tests.Unit;

/// <summary>
/// Robustness: random and mutated payloads never make the parser throw, and every well-formed message that
/// is generated parses back to the same fields. Seeds are fixed so a failure reproduces.
/// </summary>
public class ParserFuzzTests
{
    private const int Iterations = 100_000;
    private static readonly string[] Actions = ["add", "remove", "change", "move", "online", "offline", "bind", "unbind"];

    [Fact]
    public void Random_and_mutated_payloads_never_throw()
    {
        var rng = new Random(20261122);
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*.bin").Select(File.ReadAllBytes).ToArray();
        Assert.NotEmpty(seeds);
        int accepted = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] payload = (i % 4) switch
            {
                0 => RandomBytes(rng),
                1 => Mutate(rng, seeds[rng.Next(seeds.Length)]),
                2 => Mutate(rng, Valid(rng, out _)),
                _ => Splice(rng, seeds[rng.Next(seeds.Length)], Valid(rng, out _)),
            };
            // The property under test: no exception, and a parsed device is internally consistent.
            if (UEventParser.TryParse(payload, "/sys", out var d))
            {
                accepted++;
                Assert.StartsWith("/", d!.DevPath);
                Assert.False(string.IsNullOrEmpty(d.Subsystem));
                _ = d.Properties;
                _ = d.DevNode;
                _ = d.Major;
            }
            UEventParser.TryParseSysfs("/devices/x", "net", payload, "/sys", out _);
        }
        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Generated_valid_messages_round_trip()
    {
        var rng = new Random(7);
        for (int i = 0; i < Iterations; i++)
        {
            var payload = Valid(rng, out var expected);
            Assert.True(UEventParser.TryParse(payload, "/sys", out var d));
            Assert.Equal(expected.Count, d!.PropertyCount);
            foreach (var (k, v) in expected)
                Assert.Equal(v, d.GetProperty(k));
            Assert.Equal(expected["DEVPATH"], d.DevPath);
            Assert.Equal(ulong.Parse(expected["SEQNUM"]), d.SequenceNumber);
        }
    }

    private static byte[] Valid(Random rng, out Dictionary<string, string> fields)
    {
        string action = Actions[rng.Next(Actions.Length)];
        string devpath = "/devices/" + string.Join('/', Enumerable.Range(0, rng.Next(1, 5)).Select(_ => Word(rng, "abcdefgh0123456789:.-_")));
        fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ACTION"] = action,
            ["DEVPATH"] = devpath,
            ["SUBSYSTEM"] = Word(rng, "abcdefghijklmnop_"),
        };
        int extra = rng.Next(0, 12);
        for (int j = 0; j < extra; j++)
        {
            var key = "K" + Word(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
            fields[key] = rng.Next(3) == 0 ? "" : Word(rng, "abc xyz=/-_.:0123456789\u00e9\u4e2d");
        }
        fields["SEQNUM"] = ((ulong)rng.NextInt64()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder().Append(action).Append('@').Append(devpath).Append('\0');
        foreach (var (k, v) in fields)
            sb.Append(k).Append('=').Append(v).Append('\0');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Word(Random rng, string alphabet)
    {
        var chars = new char[rng.Next(1, 16)];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = alphabet[rng.Next(alphabet.Length)];
        var w = new string(chars);
        return w is "." or ".." ? "x" + w : w;
    }

    private static byte[] RandomBytes(Random rng)
    {
        var b = new byte[rng.Next(0, 600)];
        rng.NextBytes(b);
        return b;
    }

    private static byte[] Mutate(Random rng, byte[] source)
    {
        var b = source.ToList();
        int edits = rng.Next(1, 6);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int pos = rng.Next(b.Count);
            switch (rng.Next(5))
            {
                case 0: b[pos] = (byte)rng.Next(256); break;
                case 1: b.RemoveAt(pos); break;
                case 2: b.Insert(pos, (byte)"=\0@/."[rng.Next(5)]); break;
                case 3: b.RemoveRange(pos, b.Count - pos); break;
                default: b[pos] = 0; break;
            }
        }
        return b.ToArray();
    }

    private static byte[] Splice(Random rng, byte[] a, byte[] b)
    {
        int ca = rng.Next(a.Length + 1), cb = rng.Next(b.Length + 1);
        return [.. a.AsSpan(0, ca), .. b.AsSpan(cb)];
    }
}
