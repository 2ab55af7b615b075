using System.Globalization;
using System.Text.Json;

namespace DeviceNotify.Simulation;

// Implementation notes (the capture format is `devnotify monitor --json` output, JSON Lines):
// - Lines with origin "Enumeration" are the devices present when the capture began (--include-existing); lines with
//   origin "Kernel" are events, in order; lines with the same "_t" were received in one batch and replay as one.
// - An "Overflow" line (kernel buffer or the monitor's own queue: events were lost either way) is followed by
//   "Resynchronization" lines, the differences the monitor was told; applied to the tree they give the system as it
//   was after the overflow, which is what the replay lists when the dispatcher resynchronises.
// - A filtered capture (--class) repeats a kernel event once per matching class: a repeated seqnum is skipped.
// - Lines of other kinds are skipped (forward compatibility); a line that is not a JSON object, or a device line
//   without devpath/subsystem, is an error naming the line.
/// <summary>Parses a capture into the initial devices and the steps to replay.</summary>
internal static class CaptureReader
{
    internal static (List<Device> Initial, List<CaptureStep> Steps) Read(TextReader reader, string name)
    {
        var tree = new Dictionary<string, Device>(StringComparer.Ordinal);
        var initial = new List<Device>();
        var steps = new List<CaptureStep>();
        var batch = new List<Device>();
        long batchTime = long.MinValue;
        ulong lastSeqnum = 0;
        bool live = false;
        bool resyncing = false;
        int lineNumber = 0;

        void EndBatch()
        {
            if (batch.Count > 0)
                steps.Add(new CaptureStep([.. batch], null, batchTime));
            batch.Clear();
        }

        void EndResync()
        {
            if (!resyncing)
                return;
            steps.Add(new CaptureStep(null, SortedTree(tree), batchTime));
            resyncing = false;
        }

        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{name}, line {lineNumber}: not a JSON object ({ex.Message}). A capture is the output of `devnotify monitor --json`.", ex);
            }
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{name}, line {lineNumber}: not a JSON object. A capture is the output of `devnotify monitor --json`.");
            string? action = String(root, "action");
            long time = root.TryGetProperty("_t", out var t) && t.TryGetInt64(out long ns) ? ns : batchTime;
            if (action == "Overflow")
            {
                EndBatch();
                EndResync();
                resyncing = true;
                batchTime = time;
                live = true;
                continue;
            }
            string? origin = String(root, "origin");
            if (!root.TryGetProperty("devpath", out _) || origin is not ("Enumeration" or "Kernel" or "Resynchronization"))
                continue;
            var device = ReadDevice(root, name, lineNumber);

            if (origin == "Enumeration" && !live)
            {
                if (tree.TryAdd(device.DevPath, device))
                    initial.Add(device);
                continue;
            }
            if (origin == "Resynchronization")
            {
                if (!resyncing)
                    continue;   // a registration's own resync without an Overflow line: nothing to replay
                if (action is "InstanceRemoved" or "InterfaceRemoval")
                    tree.Remove(device.DevPath);
                else
                    tree[device.DevPath] = device;
                continue;
            }
            if (origin != "Kernel")
                continue;
            EndResync();
            live = true;
            if (device.SequenceNumber != 0 && device.SequenceNumber == lastSeqnum)
                continue;
            lastSeqnum = device.SequenceNumber;
            if (time != batchTime)
                EndBatch();
            batchTime = time;
            batch.Add(device);
            Apply(tree, device);
        }
        EndBatch();
        EndResync();
        initial.Sort(static (a, b) => string.CompareOrdinal(a.DevPath, b.DevPath));
        return (initial, steps);
    }

    private static Device ReadDevice(JsonElement root, string name, int lineNumber)
    {
        string devPath = String(root, "devpath") ?? throw Bad(name, lineNumber, "devpath");
        string subsystem = String(root, "subsystem") ?? throw Bad(name, lineNumber, "subsystem");
        var properties = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in props.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                    properties.Add(new(p.Name, p.Value.GetString()!));
            }
        }
        var attributes = root.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? ReadAttributes(a) : null;
        var kernelAction = DeviceAction.None;
        if (String(root, "kernelAction") is { } word)
            Parsing.DeviceActions.TryParse(System.Text.Encoding.UTF8.GetBytes(word), out kernelAction);
        ulong seqnum = root.TryGetProperty("seqnum", out var s) && s.TryGetUInt64(out ulong n) ? n : 0;
        try
        {
            return new Device(devPath, subsystem, properties, attributes).WithAction(kernelAction, seqnum);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{name}, line {lineNumber}: {ex.Message}", ex);
        }
    }

    private static DeviceAttributes ReadAttributes(JsonElement a) => new()
    {
        SizeSectors = a.TryGetProperty("size", out var size) && size.TryGetUInt64(out ulong sectors) ? sectors : null,
        HasPartitions = a.TryGetProperty("partitions", out var parts) && parts.ValueKind == JsonValueKind.True,
        InputEventBits = String(a, "ev"),
        InputKeyBits = String(a, "key"),
        InputRelBits = String(a, "rel"),
    };

    /// <summary>What an event does to the device tree (as the dispatcher's table follows it).</summary>
    private static void Apply(Dictionary<string, Device> tree, Device device)
    {
        switch (device.Action)
        {
            case DeviceAction.Remove:
                tree.Remove(device.DevPath);
                break;
            case DeviceAction.Move:
                if (device.GetProperty("DEVPATH_OLD") is { } old)
                    tree.Remove(old);
                tree[device.DevPath] = device;
                break;
            default:
                tree[device.DevPath] = device;
                break;
        }
    }

    private static List<Device> SortedTree(Dictionary<string, Device> tree)
    {
        var list = tree.Values.ToList();
        list.Sort(static (a, b) => string.CompareOrdinal(a.DevPath, b.DevPath));
        return list;
    }

    private static string? String(JsonElement e, string property)
        => e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static FormatException Bad(string name, int lineNumber, string field)
        => new(string.Create(CultureInfo.InvariantCulture, $"{name}, line {lineNumber}: a device line needs \"{field}\"."));
}
