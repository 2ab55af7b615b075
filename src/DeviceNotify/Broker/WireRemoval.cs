using System.Globalization;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

/// <summary>
/// The negotiation's records to and from the wire (protos/devnotify/v1/removal.proto): questions and notices, answers,
/// results and their parties, handle identities. Pure; the enums share their numbers with the wire's.
/// </summary>
internal static class WireRemoval
{
    internal static Wire.RemovalMessage Encode(RemovalMessage m, Wire.Device device)
    {
        var w = new Wire.RemovalMessage
        {
            Operation = (Wire.RemovalOperation)m.Operation,
            Action = (Wire.NotificationAction)m.Action,
            EventGuid = m.EventGuid is { } g ? g.ToString() : "",
            Device = device,
            DeadlineUnixMs = m.Deadline is { } d ? d.ToUnixTimeMilliseconds() : 0,
        };
        if (m.MountPoint is { } mount)
            w.MountPoint = WireDevices.Encode(mount);
        return w;
    }

    /// <summary>A question or notice for <paramref name="device"/> (the receiver's own record of its bound device).</summary>
    internal static RemovalMessage? TryDecode(Wire.RemovalMessage? w, Device device, out string? error)
    {
        error = null;
        if (w is null || !Enum.IsDefined(w.Operation) || !Enum.IsDefined(w.Action))
        {
            error = "the message's operation or action is unknown";
            return null;
        }
        Guid? eventGuid = null;
        if (w.EventGuid.Length > 0)
        {
            if (!Guid.TryParse(w.EventGuid, out var g))
            {
                error = $"event GUID '{w.EventGuid}' is not a GUID";
                return null;
            }
            eventGuid = g;
        }
        return new RemovalMessage
        {
            Operation = (RemovalOperation)w.Operation,
            Action = (NotificationAction)w.Action,
            EventGuid = eventGuid,
            Device = device,
            MountPoint = WireDevices.Decode(w.MountPoint),
            Deadline = w.DeadlineUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(w.DeadlineUnixMs),
        };
    }

    /// <summary>The failed notice that ends a question's round (VolumeDismount → VolumeDismountFailed, ...).</summary>
    internal static RemovalMessage FailedNoticeFor(RemovalMessage question)
    {
        var failed = question.Action == NotificationAction.QueryRemove
            ? (NotificationAction.QueryRemoveFailed, (Guid?)null)
            : (NotificationAction.CustomEvent, question.EventGuid == VolumeEvents.VolumeLock ? VolumeEvents.VolumeLockFailed : VolumeEvents.VolumeDismountFailed);
        return question with { Action = failed.Item1, EventGuid = failed.Item2, Deadline = null };
    }

    internal static bool IsFailedNotice(RemovalMessage m)
        => m.Action == NotificationAction.QueryRemoveFailed
           || m.EventGuid == VolumeEvents.VolumeDismountFailed || m.EventGuid == VolumeEvents.VolumeLockFailed;

    internal static Wire.Answer Encode(ulong question, PartyAnswer answer) => answer.Veto switch
    {
        VetoType.None => new Wire.Answer { Question = question, Accept = new Wire.Accept() },
        _ => new Wire.Answer { Question = question, Veto = new Wire.Veto { Reason = answer.Reason ?? answer.Veto.ToString() } },
    };

    internal static Wire.PartyResponse Encode(PartyResponse p) => new()
    {
        Name = p.Name,
        Pid = p.ProcessId,
        ProcessName = p.ProcessName ?? "",
        ProcessStartTime = p.ProcessStartTime,
        Asked = p.WasAsked,
        FoundBy = (Wire.HolderKind)p.FoundBy,
        Veto = (Wire.VetoType)p.Veto,
        Reason = p.Reason ?? "",
        Errno = p.Errno,
    };

    internal static PartyResponse Decode(Wire.PartyResponse w) => new()
    {
        Name = w.Name,
        ProcessId = w.Pid,
        ProcessName = WireDevices.NullIfEmpty(w.ProcessName),
        ProcessStartTime = w.ProcessStartTime,
        WasAsked = w.Asked,
        FoundBy = Enum.IsDefined((HolderKind)w.FoundBy) ? (HolderKind)w.FoundBy : HolderKind.None,
        Veto = Enum.IsDefined((VetoType)w.Veto) ? (VetoType)w.Veto : VetoType.KernelRefused,
        Reason = WireDevices.NullIfEmpty(w.Reason),
        Errno = w.Errno,
    };

    internal static Wire.RemovalResult Encode(RemovalResult r)
    {
        var w = new Wire.RemovalResult
        {
            Operation = (Wire.RemovalOperation)r.Operation,
            Device = WireDevices.Encode(r.Device),
            Succeeded = r.Succeeded,
            Failure = (Wire.RemovalFailure)r.Failure,
            Error = r.Error ?? "",
            Forced = r.Forced,
        };
        w.Parties.AddRange(r.Parties.Select(Encode));
        w.Warnings.AddRange(r.Warnings);
        return w;
    }

    /// <summary>A result from the broker, about <paramref name="device"/> (the requester's own record of the target).</summary>
    internal static RemovalResult Decode(Wire.RemovalResult w, Device device) => new()
    {
        Operation = (RemovalOperation)w.Operation,
        Device = WireDevices.TryDecode(w.Device, out _) is { } d && d.DevPath != device.DevPath ? d : device,
        Succeeded = w.Succeeded,
        Failure = Enum.IsDefined((RemovalFailure)w.Failure) ? (RemovalFailure)w.Failure : RemovalFailure.KernelRefused,
        Parties = w.Parties.Select(Decode).ToList(),
        Error = WireDevices.NullIfEmpty(w.Error),
        Warnings = [.. w.Warnings],
        Forced = w.Forced,
    };

    internal static Wire.HandleIdentity Encode(HandleIdentity id) => new()
    {
        Major = (uint)id.Major,
        Minor = (uint)id.Minor,
        DeviceNode = id.IsDeviceNode,
        Block = id.IsBlock,
    };

    internal static HandleIdentity? TryDecode(Wire.HandleIdentity? w)
        => w is null || w.Major > int.MaxValue || w.Minor > int.MaxValue ? null : new HandleIdentity((int)w.Major, (int)w.Minor, w.DeviceNode, w.Block);

    internal static Wire.DeviceNumber Number(Device device) => new()
    {
        Major = (uint)(device.Major ?? throw new ArgumentException($"{device} has no device number.", nameof(device))),
        Minor = (uint)(device.Minor ?? 0),
    };

    internal static Wire.RemovalRequest Request(Device device, string path, RemovalOptions options) => new()
    {
        Device = Number(device),
        Path = path,
        DeadlineMs = (uint)Math.Ceiling(options.Deadline.TotalMilliseconds),
        Force = options.Force,
    };

    /// <summary>The options a request asks for; throws ArgumentException naming what is wrong.</summary>
    internal static RemovalOptions Options(Wire.RemovalRequest request)
    {
        var options = new RemovalOptions
        {
            Deadline = request.DeadlineMs == 0 ? RemovalOptions.DefaultDeadline : TimeSpan.FromMilliseconds(request.DeadlineMs),
            Force = request.Force,
        };
        options.Validate();
        return options;
    }

    internal static string Describe(Wire.DeviceNumber? number)
        => number is null ? "(none)" : string.Create(CultureInfo.InvariantCulture, $"{number.Major}:{number.Minor}");
}
