namespace DeviceNotify;

/// <summary>The kernel's uevent action (<c>ACTION=</c>), as in <c>kobject_actions[]</c> of lib/kobject_uevent.c.</summary>
public enum DeviceAction
{
    /// <summary>No kernel action: the device record came from enumeration.</summary>
    None = 0,
    /// <summary><c>add</c>: the device appeared.</summary>
    Add,
    /// <summary><c>remove</c>: the device is going away.</summary>
    Remove,
    /// <summary><c>change</c>: a property or state of the device changed.</summary>
    Change,
    /// <summary><c>move</c>: the device was renamed or reparented (<c>DEVPATH_OLD</c> names the old path).</summary>
    Move,
    /// <summary><c>online</c>: the device (a CPU, memory block) was brought online.</summary>
    Online,
    /// <summary><c>offline</c>: the device was taken offline.</summary>
    Offline,
    /// <summary><c>bind</c>: a driver was bound to the device.</summary>
    Bind,
    /// <summary><c>unbind</c>: the driver was unbound from the device.</summary>
    Unbind,
}
