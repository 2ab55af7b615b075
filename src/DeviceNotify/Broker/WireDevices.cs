using System.Text;
using DeviceNotify.Parsing;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

// Implementation notes:
// - Pure mapping between the library's records and the wire messages (protos/devnotify/v1/device.proto); no I/O.
// - Properties travel as key/value strings in the kernel's order, so any gRPC stack reads them; invalid UTF-8 from
//   the kernel becomes U+FFFD (protobuf strings must be UTF-8). A decoded device is rebuilt as the kernel's
//   NUL-separated block, so it behaves exactly like one parsed from a uevent.
// - Decoding distrusts its input (a fuzzer, a broken peer): a device whose keys are not kernel-style names or whose
//   values hold NUL is refused with a reason, never half-built.
/// <summary>Devices and mount points to and from the wire.</summary>
internal static class WireDevices
{
    internal static Wire.Device Encode(Device device)
    {
        var w = new Wire.Device
        {
            Devpath = device.DevPath,
            Subsystem = device.Subsystem,
            Devtype = device.DevType ?? "",
            Devnode = device.DevNode ?? "",
            Action = (Wire.KernelAction)device.Action,
            Seqnum = device.SequenceNumber,
            Attributes = Encode(device.Attributes),
            Unlisted = !device.IsListed,
        };
        foreach (var p in device.EnumerateUtf8Properties())
            w.Properties.Add(new Wire.Property { Key = Encoding.UTF8.GetString(p.Key), Value = Encoding.UTF8.GetString(p.Value) });
        return w;
    }

    internal static Wire.DeviceAttributes Encode(DeviceAttributes a)
    {
        var w = new Wire.DeviceAttributes
        {
            HasPartitions = a.HasPartitions,
            InputEv = a.InputEventBits ?? "",
            InputKey = a.InputKeyBits ?? "",
            InputRel = a.InputRelBits ?? "",
        };
        if (a.SizeSectors is { } size)
            w.SizeSectors = size;
        return w;
    }

    /// <summary>The device a wire message describes; null with <paramref name="error"/> when it is malformed.</summary>
    internal static Device? TryDecode(Wire.Device? w, out string? error)
    {
        error = null;
        if (w is null)
        {
            error = "no device";
            return null;
        }
        if (w.Devpath.Length == 0 || w.Devpath[0] != '/' || w.Devpath.Contains('\0', StringComparison.Ordinal))
        {
            error = $"devpath '{w.Devpath}' does not start with '/'";
            return null;
        }
        if (w.Subsystem.Length == 0 || w.Subsystem.AsSpan().IndexOfAny('/', '\0') >= 0)
        {
            error = $"subsystem '{w.Subsystem}' is not a subsystem name";
            return null;
        }
        if (!Enum.IsDefined(w.Action))
        {
            error = $"unknown kernel action {(int)w.Action}";
            return null;
        }
        var text = new StringBuilder();
        foreach (var p in w.Properties)
        {
            if (p.Value.Contains('\0', StringComparison.Ordinal))
            {
                error = $"property {p.Key} holds a NUL character";
                return null;
            }
            text.Append(p.Key).Append('=').Append(p.Value).Append('\0');
        }
        byte[] block = Encoding.UTF8.GetBytes(text.ToString());
        if (PropertyBlock.TryIndex(block, 0) is not { } fields)
        {
            error = "a property key is empty or not a kernel-style name ([A-Za-z0-9_], at most 64)";
            return null;
        }
        var device = new Device(block, fields, w.Devpath, w.Subsystem, (DeviceAction)w.Action, w.Seqnum, "/sys", Decode(w.Attributes));
        if (w.Unlisted)
            device.SetUnlisted();
        return device;
    }

    internal static DeviceAttributes Decode(Wire.DeviceAttributes? w)
    {
        if (w is null)
            return DeviceAttributes.None;
        var a = new DeviceAttributes
        {
            SizeSectors = w.HasSizeSectors ? w.SizeSectors : null,
            HasPartitions = w.HasPartitions,
            InputEventBits = NullIfEmpty(w.InputEv),
            InputKeyBits = NullIfEmpty(w.InputKey),
            InputRelBits = NullIfEmpty(w.InputRel),
        };
        return a.Equals(DeviceAttributes.None) ? DeviceAttributes.None : a;
    }

    internal static Wire.MountPoint Encode(MountPoint m)
    {
        var w = new Wire.MountPoint
        {
            MountId = m.MountId,
            ParentId = m.ParentId,
            Major = m.Major,
            Minor = m.Minor,
            Root = m.Root,
            Path = m.Path,
            Options = m.Options,
            FsType = m.FileSystemType,
            Source = m.Source,
            SuperOptions = m.SuperOptions,
        };
        if (m.SharedPeerGroup is { } shared)
            w.SharedPeerGroup = shared;
        if (m.MasterPeerGroup is { } master)
            w.MasterPeerGroup = master;
        return w;
    }

    internal static MountPoint? Decode(Wire.MountPoint? w) => w is null ? null : new MountPoint
    {
        MountId = w.MountId,
        ParentId = w.ParentId,
        Major = w.Major,
        Minor = w.Minor,
        Root = w.Root,
        Path = w.Path,
        Options = w.Options,
        FileSystemType = w.FsType,
        Source = w.Source,
        SuperOptions = w.SuperOptions,
        SharedPeerGroup = w.HasSharedPeerGroup ? w.SharedPeerGroup : null,
        MasterPeerGroup = w.HasMasterPeerGroup ? w.MasterPeerGroup : null,
    };

    internal static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
