using DeviceNotify.Dispatch;

namespace DeviceNotify;

// Implementation notes (handle registrations):
// - The handle's identity (statx) is bound to one device, found by device number in the device table at
//   registration; the registration follows that devpath (and its renames).
// - RemoveComplete goes out once, when the kernel removes the device or any ancestor (a disk above a
//   partition, a USB hub above a disk): a surprise removal, with no query first, as on Windows.
// - Mount events come from diffs of the mount table by mount id for the device's number. Mounts present at
//   registration are known silently: only changes are reported.
// - Media and size events read Device.Attributes (filled by the source). Labels come from volume probes that run
//   off the lock (Dispatch/VolumeProbes): the dispatcher hands each result here, and a different label is
//   VolumeChange. Nothing here does I/O.
// - The removal coordinator speaks through Announce (questions and notices), queued whatever the queue's fill.
public sealed partial class DeviceRegistration
{
    private readonly Dictionary<int, MountPoint> _knownMounts = [];
    // Mounts whose dismount the coordinator already announced: their disappearance is not reported again.
    private readonly HashSet<int> _announcedDismounts = [];
    private Device? _target;
    private bool _targetGone;
    private string? _label;
    private bool _labelKnown;

    /// <summary>The device a handle registration is bound to (null for other kinds, or once removed).</summary>
    internal Device? BoundDevice => _targetGone ? null : _target;

    /// <summary>
    /// Under the dispatcher lock: binds a handle registration to its device, with the mounts and label of now. When
    /// the label is not known yet (the first probe did not answer in time), the first probe result sets it silently.
    /// </summary>
    internal void BindHandle(Device target, IReadOnlyList<MountPoint> mounts, string? label, bool labelKnown)
    {
        _target = target;
        _label = label;
        _labelKnown = labelKnown;
        var id = Filter.Handle!.Value;
        foreach (var m in mounts)
        {
            if (m.Major == id.Major && m.Minor == id.Minor)
                _knownMounts[m.MountId] = m;
        }
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
            OfferCustom(device.Attributes.SizeSectors is not (null or 0) ? VolumeEvents.MediaArrival : VolumeEvents.MediaRemoval, device, origin, timestamp);
        if (device.PropertyEquals("DISK_EJECT_REQUEST", "1"))
            OfferCustom(VolumeEvents.MediaEjectRequest, device, origin, timestamp);
    }

    /// <summary>Under the dispatcher lock: a probe of the bound volume finished; a new label is VolumeChange.</summary>
    internal void OnVolumeProbed(Device device, VolumeProbeResult result, NotificationOrigin origin, long timestamp)
    {
        if (!IsLive || _targetGone || _target is null || device.DevPath != _target.DevPath)
            return;
        if (!_labelKnown)
        {
            _label = result.Label;                 // the baseline, not a change
            _labelKnown = true;
            return;
        }
        if (string.Equals(result.Label, _label, StringComparison.Ordinal))
            return;
        var data = new CustomEventData { EventGuid = VolumeEvents.VolumeChange, OldLabel = _label, NewLabel = result.Label };
        var kernelAction = origin == NotificationOrigin.Kernel ? DeviceAction.Change : DeviceAction.None;
        if (Offer(new DeviceNotification(NotificationAction.CustomEvent, _target, null, kernelAction, origin, timestamp, customEvent: data)))
            _label = result.Label;
    }

    /// <summary>Under the dispatcher lock: the mount table changed.</summary>
    internal void OnMounts(IReadOnlyList<MountPoint> mounts, NotificationOrigin origin, long timestamp)
    {
        if (!IsLive || _needsResync || _targetGone || _target is null)
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

    /// <summary>
    /// Under the dispatcher lock: a coordinator notification, queued whatever the queue's fill. A registration that
    /// is no longer live accepts a question at once (it holds nothing); false then.
    /// </summary>
    internal bool Announce(DeviceNotification notification)
    {
        if (!IsLive)
        {
            notification.Query?.Accept();
            return false;
        }
        if (notification.CustomEvent?.EventGuid == VolumeEvents.VolumeDismount)
            _announcedDismounts.UnionWith(_knownMounts.Keys);
        if (notification.CustomEvent?.EventGuid == VolumeEvents.VolumeDismountFailed || notification.Action == NotificationAction.QueryRemoveFailed)
            _announcedDismounts.Clear();
        if (notification.Query is { } query)
            TrackQuery(query);
        ForceOffer(notification);
        return true;
    }

    private bool OfferCustom(Guid eventGuid, Device device, NotificationOrigin origin, long timestamp, MountPoint? mount = null)
    {
        var data = new CustomEventData { EventGuid = eventGuid, MountPoint = mount, OldLabel = _label, NewLabel = _label };
        var kernelAction = origin == NotificationOrigin.Kernel ? DeviceAction.Change : DeviceAction.None;
        return Offer(new DeviceNotification(NotificationAction.CustomEvent, device, null, kernelAction, origin, timestamp, customEvent: data));
    }
}
