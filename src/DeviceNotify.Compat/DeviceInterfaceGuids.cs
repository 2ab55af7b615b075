namespace DeviceNotify.Compat;

/// <summary>
/// The device interface class GUIDs of the Windows SDK (<c>GUID_DEVINTERFACE_*</c>). On Linux the ten that
/// DeviceNotify's built-in classes use (disk, volume, CD-ROM, net, HID, COM port, USB device, keyboard, mouse,
/// display adapter) have interfaces; a registration for another GUID is accepted and stays silent unless the GUID
/// was given a class with <see cref="DeviceNotifyCompat.AddInterfaceClass"/>.
/// </summary>
public static class DeviceInterfaceGuids
{
    /// <summary><c>GUID_DEVINTERFACE_DISK</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_DISK = new("53f56307-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_VOLUME</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_VOLUME = new("53f5630d-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_CDROM</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_CDROM = new("53f56308-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_NET</c> (ndisguid.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_NET = new("cac88484-7515-4c03-82e6-71a87abac361");

    /// <summary><c>GUID_DEVINTERFACE_HID</c> (hidclass.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_HID = new("4d1e55b2-f16f-11cf-88cb-001111000030");

    /// <summary><c>GUID_DEVINTERFACE_COMPORT</c> (ntddser.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_COMPORT = new("86e0d1e0-8089-11d0-9ce4-08003e301f73");

    /// <summary><c>GUID_DEVINTERFACE_USB_DEVICE</c> (usbiodef.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_USB_DEVICE = new("a5dcbf10-6530-11d2-901f-00c04fb951ed");

    /// <summary><c>GUID_DEVINTERFACE_KEYBOARD</c> (ntddkbd.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_KEYBOARD = new("884b96c3-56ef-11d1-bc8c-00a0c91405dd");

    /// <summary><c>GUID_DEVINTERFACE_MOUSE</c> (ntddmou.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_MOUSE = new("378de44c-56ef-11d1-bc8c-00a0c91405dd");

    /// <summary><c>GUID_DEVINTERFACE_DISPLAY_ADAPTER</c> (ntddvdeo.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_DISPLAY_ADAPTER = new("5b45201d-f2f2-4f3b-85bb-30ff1f953599");

    /// <summary><c>GUID_DEVINTERFACE_CDCHANGER</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_CDCHANGER = new("53f56312-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_FLOPPY</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_FLOPPY = new("53f56311-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_HIDDEN_VOLUME</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_HIDDEN_VOLUME = new("7f108a28-9833-4b3b-b780-2c6b5fa5c062");

    /// <summary><c>GUID_DEVINTERFACE_IMAGE</c> (wiaintfc.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_IMAGE = new("6bdd1fc6-810f-11d0-bec7-08002be2092f");

    /// <summary><c>GUID_DEVINTERFACE_MEDIUMCHANGER</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_MEDIUMCHANGER = new("53f56310-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_MODEM</c> (ntddmodm.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_MODEM = new("2c7089aa-2e0e-11d1-b114-00c04fc2aae4");

    /// <summary><c>GUID_DEVINTERFACE_MONITOR</c> (ntddvdeo.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_MONITOR = new("e6f07b5f-ee97-4a90-b076-33f57bf4eaa7");

    /// <summary><c>GUID_DEVINTERFACE_PARALLEL</c> (ntddpar.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_PARALLEL = new("97f76ef0-f883-11d0-af1f-0000f800845c");

    /// <summary><c>GUID_DEVINTERFACE_PARCLASS</c> (ntddpar.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_PARCLASS = new("811fc6a5-f728-11d0-a537-0000f8753ed1");

    /// <summary><c>GUID_DEVINTERFACE_PARTITION</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_PARTITION = new("53f5630a-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_SERENUM_BUS_ENUMERATOR</c> (ntddser.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_SERENUM_BUS_ENUMERATOR = new("4d36e978-e325-11ce-bfc1-08002be10318");

    /// <summary><c>GUID_DEVINTERFACE_SERVICE_VOLUME</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_SERVICE_VOLUME = new("6ead3d82-25ec-46bc-b7fd-c1f0df8f5037");

    /// <summary><c>GUID_DEVINTERFACE_SES</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_SES = new("1790c9ec-47d5-4df3-b5af-9adf3cf23e48");

    /// <summary><c>GUID_DEVINTERFACE_STORAGEPORT</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_STORAGEPORT = new("2accfe60-c130-11d2-b082-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_TAPE</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_TAPE = new("53f5630b-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_UNIFIED_ACCESS_RPMB</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_UNIFIED_ACCESS_RPMB = new("27447c21-bcc3-4d07-a05b-a3395bb4eee7");

    /// <summary><c>GUID_DEVINTERFACE_USBPRINT</c> (usbprint.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_USBPRINT = new("28d78fad-5a12-11d1-ae5b-0000f803a8c2");

    /// <summary><c>GUID_DEVINTERFACE_USB_BILLBOARD</c> (usbiodef.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_USB_BILLBOARD = new("5e9adaef-f879-473f-b807-4e5ea77d1b1c");

    /// <summary><c>GUID_DEVINTERFACE_USB_HOST_CONTROLLER</c> (usbiodef.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_USB_HOST_CONTROLLER = new("3abf6f2d-71c4-462a-8a92-1e6861e6af27");

    /// <summary><c>GUID_DEVINTERFACE_USB_HUB</c> (usbiodef.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_USB_HUB = new("f18a0e88-c30c-11d0-8815-00a0c906bed8");

    /// <summary><c>GUID_DEVINTERFACE_VIDEO_OUTPUT_ARRIVAL</c> (ntddvdeo.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_VIDEO_OUTPUT_ARRIVAL = new("1ad9e4f0-f88d-4360-bab9-4c2d55e564cd");

    /// <summary><c>GUID_DEVINTERFACE_VMLUN</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_VMLUN = new("6f416619-9f29-42a5-b20b-37e219ca02b0");

    /// <summary><c>GUID_DEVINTERFACE_WPD</c> (PortableDevice.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_WPD = new("6ac27878-a6fa-4155-ba85-f98f491d4f33");

    /// <summary><c>GUID_DEVINTERFACE_WPD_PRIVATE</c> (PortableDevice.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_WPD_PRIVATE = new("ba0c718f-4ded-49b7-bdd3-fabe28661211");

    /// <summary><c>GUID_DEVINTERFACE_WPD_SERVICE</c> (PortableDevice.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_WPD_SERVICE = new("9ef44f80-3d64-4246-a6aa-206f328d1edc");

    /// <summary><c>GUID_DEVINTERFACE_WRITEONCEDISK</c> (ntddstor.h).</summary>
    public static readonly Guid GUID_DEVINTERFACE_WRITEONCEDISK = new("53f5630c-b6bf-11d0-94f2-00a0c91efb8b");

    /// <summary><c>GUID_DEVINTERFACE_SCM_PHYSICAL_DEVICE</c> ((not in SDK 16299)).</summary>
    public static readonly Guid GUID_DEVINTERFACE_SCM_PHYSICAL_DEVICE = new("4283609d-4dc2-43be-bbb4-4f15dfce2c61");

    /// <summary><c>GUID_DEVINTERFACE_ZNSDISK</c> ((not in SDK 16299)).</summary>
    public static readonly Guid GUID_DEVINTERFACE_ZNSDISK = new("b87941c5-ffdb-43c7-b6b1-20b632f0b109");
}
