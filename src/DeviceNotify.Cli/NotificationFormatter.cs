using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DeviceNotify.Cli;

/// <summary>Writes notifications and interfaces as aligned text lines or JSON Lines to a byte stream.</summary>
internal sealed class NotificationFormatter
{
    private readonly Stream _output;
    private readonly bool _json;
    private readonly Utf8JsonWriter _writer;
    private readonly DateTimeOffset _wallAtStart = DateTimeOffset.UtcNow;
    private readonly long _ticksAtStart = Stopwatch.GetTimestamp();

    internal NotificationFormatter(Stream output, bool json)
    {
        _output = output;
        _json = json;
        _writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    internal void Write(DeviceNotification n)
    {
        if (_json)
            WriteJson(n);
        else
            WriteText(n);
    }

    internal void WriteInterface(DeviceInterface i)
    {
        if (_json)
        {
            _writer.Reset(_output);
            _writer.WriteStartObject();
            _writer.WriteString("class"u8, i.Class.Name);
            _writer.WriteString("classGuid"u8, i.Class.Guid);
            _writer.WriteString("path"u8, i.Path);
            WriteDevice(i.Device);
            _writer.WriteEndObject();
            _writer.Flush();
            _output.WriteByte((byte)'\n');
        }
        else
        {
            WriteLine($"{Pad(i.Class.Name, 14)} {Pad(i.Path, 24)} {i.Device.DevPath}");
        }
    }

    internal void WriteDeviceRecord(Device d)
    {
        if (_json)
        {
            _writer.Reset(_output);
            _writer.WriteStartObject();
            WriteDevice(d);
            _writer.WriteEndObject();
            _writer.Flush();
            _output.WriteByte((byte)'\n');
        }
        else
        {
            WriteLine($"{Pad(d.Subsystem, 14)} {Pad(d.DevNode ?? d.SysName, 24)} {d.DevPath}");
        }
    }

    internal void Flush() => _output.Flush();

    private DateTimeOffset WallClock(long timestamp)
        => _wallAtStart + Stopwatch.GetElapsedTime(_ticksAtStart, timestamp);

    private void WriteText(DeviceNotification n)
    {
        string time = WallClock(n.Timestamp).ToLocalTime().ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        if (n.Action == NotificationAction.Overflow)
        {
            var o = n.Overflow!;
            string dropped = o.DroppedNotifications < 0 ? "unknown" : o.DroppedNotifications.ToString(CultureInfo.InvariantCulture);
            WriteLine($"{time} {Pad("Overflow", 18)} {Pad(o.Kind.ToString(), 14)} dropped {dropped}, overflow #{o.TotalOverflows}; resynchronising");
            return;
        }
        var d = n.Device!;
        string action = n.Interface is null ? n.KernelAction.ToKernelString() : n.Action.ToString();
        if (n.IsSynthesized)
            action += "*";
        string cls = n.Interface?.Class.Name ?? d.Subsystem;
        string path = n.Interface?.Path ?? d.DevNode ?? d.SysName;
        WriteLine($"{time} {Pad(action, 18)} {Pad(cls, 14)} {Pad(path, 24)} {d.DevPath}");
    }

    private void WriteJson(DeviceNotification n)
    {
        var w = _writer;
        w.Reset(_output);
        w.WriteStartObject();
        w.WriteString("action"u8, ActionName(n.Action));
        if (n.Action == NotificationAction.Overflow)
        {
            var o = n.Overflow!;
            w.WriteString("overflow"u8, o.Kind == OverflowKind.KernelBuffer ? "KernelBuffer" : "SubscriberQueue");
            w.WriteNumber("dropped"u8, o.DroppedNotifications);
            w.WriteNumber("total"u8, o.TotalOverflows);
        }
        else
        {
            var d = n.Device!;
            w.WriteString("kernelAction"u8, n.KernelAction.ToKernelString());
            if (n.Interface is { } i)
            {
                w.WriteString("class"u8, i.Class.Name);
                w.WriteString("path"u8, i.Path);
            }
            else
            {
                w.WriteNull("class"u8);
                w.WriteString("path"u8, d.DevNode ?? d.SysName);
            }
            WriteDevice(d);
            w.WriteNumber("seqnum"u8, n.SequenceNumber);
        }
        w.WriteBoolean("synthesized"u8, n.IsSynthesized);
        w.WriteString("origin"u8, OriginName(n.Origin));
        w.WriteString("timestamp"u8, WallClock(n.Timestamp));
        // CLOCK_MONOTONIC ns at receipt: on Linux Stopwatch ticks are CLOCK_MONOTONIC; the bench harness reads "_t".
        w.WriteNumber("_t"u8, (long)(n.Timestamp * (1_000_000_000.0 / Stopwatch.Frequency)));
        w.WriteEndObject();
        w.Flush();
        _output.WriteByte((byte)'\n');
    }

    private void WriteDevice(Device d)
    {
        var w = _writer;
        w.WriteString("devpath"u8, d.DevPath);
        w.WriteString("subsystem"u8, d.Subsystem);
        if (d.DevType is { } t) w.WriteString("devtype"u8, t); else w.WriteNull("devtype"u8);
        if (d.DevNode is { } node) w.WriteString("devnode"u8, node); else w.WriteNull("devnode"u8);
        w.WriteStartObject("properties"u8);
        foreach (var p in d.EnumerateUtf8Properties())
            w.WriteString(p.Key, p.Value);
        w.WriteEndObject();
        // What class membership reads beyond the properties (a block device's size: a loop device without a backing
        // file is no Volume). ReplayDeviceSource needs it to decide classes as live.
        var a = d.Attributes;
        if (!ReferenceEquals(a, DeviceAttributes.None) && !a.Equals(DeviceAttributes.None))
        {
            w.WriteStartObject("attributes"u8);
            if (a.SizeSectors is { } size) w.WriteNumber("size"u8, size);
            if (a.HasPartitions) w.WriteBoolean("partitions"u8, true);
            if (a.InputEventBits is { } ev) w.WriteString("ev"u8, ev);
            if (a.InputKeyBits is { } key) w.WriteString("key"u8, key);
            if (a.InputRelBits is { } rel) w.WriteString("rel"u8, rel);
            w.WriteEndObject();
        }
    }

    private void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        _output.Write(bytes);
    }

    private static string Pad(string s, int width) => s.Length >= width ? s : s.PadRight(width);

    private static string ActionName(NotificationAction a) => a switch
    {
        NotificationAction.InterfaceArrival => "InterfaceArrival",
        NotificationAction.InterfaceRemoval => "InterfaceRemoval",
        NotificationAction.InstanceEnumerated => "InstanceEnumerated",
        NotificationAction.InstanceStarted => "InstanceStarted",
        NotificationAction.InstanceRemoved => "InstanceRemoved",
        NotificationAction.InstanceChanged => "InstanceChanged",
        NotificationAction.Overflow => "Overflow",
        _ => a.ToString(),
    };

    private static string OriginName(NotificationOrigin o) => o switch
    {
        NotificationOrigin.Kernel => "Kernel",
        NotificationOrigin.Enumeration => "Enumeration",
        NotificationOrigin.Resynchronization => "Resynchronization",
        _ => o.ToString(),
    };
}
