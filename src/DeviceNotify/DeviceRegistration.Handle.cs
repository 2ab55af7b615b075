using DeviceNotify.Linux;

namespace DeviceNotify;

// Implementation notes (handle registrations):
// - The handle's identity (statx) is bound to one device, found by device number in the device table at
//   registration; the registration follows that devpath (and its renames).
// - RemoveComplete goes out once, when the kernel removes the device or any ancestor (a disk above a
//   partition, a USB hub above a disk): a surprise removal, with no query first, as on Windows.
// - Mount events come from diffs of the mount table by mount id for the device's number. Mounts present at
//   registration are known silently: only changes are reported.
// - Labels are re-probed with libblkid on "change" uevents of the device; a different label is VolumeChange.
public sealed partial class DeviceRegistration
{
    private readonly Dictionary<int, MountPoint> _knownMounts = [];
    // Mounts whose dismount the coordinator already announced: their disappearance is not reported again.
    private readonly HashSet<int> _announcedDismounts = [];
    private Device? _target;
    private bool _targetGone;
    private string? _label;

    /// <summary>The device a handle registration is bound to (null for other kinds, or once removed).</summary>
    internal Device? BoundDevice => _targetGone ? null : _target;

    /// <summary>Under the dispatcher lock: binds a handle registration to its device. Throws when there is none.</summary>
    internal void BindHandle(IEnumerable<Device> table, IReadOnlyList<MountPoint> mounts)
    {
        var id = Filter.Handle!.Value;
        _target = table.FirstOrDefault(id.Matches)
            ?? throw new ArgumentException($"No device with number {id} is known (a file on tmpfs, proc or another device-less filesystem has none to watch).", "handle");
        foreach (var m in mounts)
        {
            if (m.Major == id.Major && m.Minor == id.Minor)
                _knownMounts[m.MountId] = m;
        }
        if (id.IsBlock && OperatingSystem.IsLinux())
            _label = FileSystemProbe.Probe(_target.DevNode ?? "/dev/" + _target.SysName).Label;
    }

    private void RouteHandle(DeviceAction action, Device device, Device? movedFrom, NotificationOrigin origin, long timestamp)
    {
        if (_targetGone || _target is null)
            return;
        string target = _target.DevPath;
        if (action == DeviceAction.Remove)
        {
            if (device.DevPath == target || target.StartsWith(device.DevPath + "/", StringComparison.Ordinal))
            {
                if (Offer(new DeviceNotification(NotificationAction.RemoveComplete, _target, null, action, origin, timestamp)))
                    _targetGone = true;
            }
            return;
        }
        if (movedFrom is not null && movedFrom.DevPath == target)
        {
            _target = device;
            return;
        }
        if (device.DevPath != target)
            return;
        _target = device;
        if (action != DeviceAction.Change)
            return;

        if (device.PropertyEquals("RESIZE", "1"))
            OfferCustom(VolumeEvents.VolumeChangeSize, device, origin, timestamp);
        if (device.PropertyEquals("DISK_MEDIA_CHANGE", "1"))
        {
            bool present = SysfsAttributes.SizeSectors(device) is not (null or 0);
            OfferCustom(present ? VolumeEvents.MediaArrival : VolumeEvents.MediaRemoval, device, origin, timestamp);
        }
        if (device.PropertyEquals("DISK_EJECT_REQUEST", "1"))
            OfferCustom(VolumeEvents.MediaEjectRequest, device, origin, timestamp);
        ReprobeLabel(device, origin, timestamp);
    }

    /// <summary>Under the dispatcher lock: the volume's contents may have changed (change uevent, close after write).</summary>
    internal void ReprobeLabel(Device device, NotificationOrigin origin, long timestamp)
    {
        if (_targetGone || !Filter.Handle!.Value.IsBlock || !OperatingSystem.IsLinux())
            return;
        // No media (a detached loop device, an empty drive): the label did not change, the media went away, which
        // MediaRemoval reports. Probing an empty device would only say "no filesystem".
        if (SysfsAttributes.SizeSectors(device) is 0)
            return;
        var probe = FileSystemProbe.Probe(device.DevNode ?? "/dev/" + device.SysName);
        if (probe.Error is not null || string.Equals(probe.Label, _label, StringComparison.Ordinal))
            return;
        var data = new CustomEventData { EventGuid = VolumeEvents.VolumeChange, OldLabel = _label, NewLabel = probe.Label };
        if (Offer(new DeviceNotification(NotificationAction.CustomEvent, device, null, DeviceAction.Change, origin, timestamp, customEvent: data)))
            _label = probe.Label;
    }

    /// <summary>Under the dispatcher lock: the mount table changed.</summary>
    internal void OnMounts(IReadOnlyList<MountPoint> mounts, NotificationOrigin origin, long timestamp)
    {
        if (_disposed || _needsResync || _targetGone || _target is null)
            return;
        var id = Filter.Handle!.Value;
        var now = new Dictionary<int, MountPoint>();
        foreach (var m in mounts)
        {
            if (m.Major == id.Major && m.Minor == id.Minor)
                now[m.MountId] = m;
        }
        foreach (var (mountId, gone) in _knownMounts.Where(k => !now.ContainsKey(k.Key)).ToList())
        {
            if (_announcedDismounts.Remove(mountId) || OfferCustom(VolumeEvents.VolumeDismount, _target, origin, timestamp, gone))
                _knownMounts.Remove(mountId);
        }
        foreach (var (mountId, added) in now.Where(k => !_knownMounts.ContainsKey(k.Key)).OrderBy(k => k.Key))
        {
            if (OfferCustom(VolumeEvents.VolumeMount, _target, origin, timestamp, added))
                _knownMounts[mountId] = added;
        }
    }

    /// <summary>Under the dispatcher lock, after a queue overflow: report what changed while this registration was behind.</summary>
    private void ResynchronizeHandle(Dictionary<string, Device> table, IReadOnlyList<MountPoint> mounts, long timestamp)
    {
        if (_targetGone || _target is null)
            return;
        if (!table.TryGetValue(_target.DevPath, out var current))
        {
            ForceOffer(new DeviceNotification(NotificationAction.RemoveComplete, _target, null, DeviceAction.Remove, NotificationOrigin.Resynchronization, timestamp));
            _targetGone = true;
            return;
        }
        _target = current;
        OnMounts(mounts, NotificationOrigin.Resynchronization, timestamp);
    }

    /// <summary>Under the dispatcher lock: a coordinator notification, queued whatever the queue's fill.</summary>
    internal void Announce(DeviceNotification notification)
    {
        if (_disposed)
        {
            notification.Query?.Accept();   // a closed registration holds nothing
            return;
        }
        if (notification.CustomEvent?.EventGuid == VolumeEvents.VolumeDismount)
            _announcedDismounts.UnionWith(_knownMounts.Keys);
        if (notification.CustomEvent?.EventGuid == VolumeEvents.VolumeDismountFailed || notification.Action == NotificationAction.QueryRemoveFailed)
            _announcedDismounts.Clear();
        ForceOffer(notification);
    }

    private bool OfferCustom(Guid eventGuid, Device device, NotificationOrigin origin, long timestamp, MountPoint? mount = null)
    {
        var data = new CustomEventData { EventGuid = eventGuid, MountPoint = mount, OldLabel = _label, NewLabel = _label };
        var kernelAction = origin == NotificationOrigin.Kernel ? DeviceAction.Change : DeviceAction.None;
        return Offer(new DeviceNotification(NotificationAction.CustomEvent, device, null, kernelAction, origin, timestamp, customEvent: data));
    }
}
