using System.Runtime.InteropServices;

namespace DeviceNotify;

// cfgmgr32.h (Windows SDK 10.0.16299; /tmp/research-win/FACTS.md). Hand-written: CsWin32 cannot be installed here.
internal static unsafe partial class Interop
{
    internal static unsafe partial class CfgMgr32
    {
        internal const string Library = "cfgmgr32.dll";

        internal const uint CR_SUCCESS = 0x00;
        internal const uint CR_FAILURE = 0x13;
        internal const uint CR_REMOVE_VETOED = 0x17;
        internal const uint CR_BUFFER_SMALL = 0x1A;
        internal const uint CR_NO_SUCH_VALUE = 0x25;
        internal const uint CR_ACCESS_DENIED = 0x33;

        internal const uint CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES = 0x1;
        internal const uint CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE = 0;
        internal const uint CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE = 1;
        internal const uint CM_NOTIFY_FILTER_TYPE_DEVICEINSTANCE = 2;

        internal const uint CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL = 0;
        internal const uint CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL = 1;
        internal const uint CM_NOTIFY_ACTION_DEVICEQUERYREMOVE = 2;
        internal const uint CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED = 3;
        internal const uint CM_NOTIFY_ACTION_DEVICEREMOVEPENDING = 4;
        internal const uint CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE = 5;
        internal const uint CM_NOTIFY_ACTION_DEVICECUSTOMEVENT = 6;
        internal const uint CM_NOTIFY_ACTION_MAX = 10;

        internal const uint CM_GET_DEVICE_INTERFACE_LIST_PRESENT = 0;
        internal const uint CM_LOCATE_DEVNODE_NORMAL = 0;
        internal const uint CM_REMOVE_UI_NOT_OK = 0x1;
        internal const uint DN_REMOVABLE = 0x00004000;   // cfg.h: "Can be removed"
        internal const int MAX_DEVICE_ID_LEN = 200;
        internal const int MAX_PATH = 260;
        internal const uint DEVPROP_TYPE_STRING = 0x12;

        /// <summary>The return value of a CM_NOTIFY callback that vetoes a query-remove.</summary>
        internal const uint ERROR_CANCELLED = 1223;

        /// <summary>DEVPKEY_Device_InstanceId (devpkey.h).</summary>
        internal static readonly Guid DevPKeyInstanceIdFormat = new("78c34fc8-104a-4aca-9ea4-524d52996e57");
        internal const uint DevPKeyInstanceIdPid = 256;

        /// <summary>CM_NOTIFY_FILTER: 416 bytes on x64 and x86, the union at 16 (hTarget there too).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 416)]
        internal struct CM_NOTIFY_FILTER
        {
            [FieldOffset(0)] public uint cbSize;
            [FieldOffset(4)] public uint Flags;
            [FieldOffset(8)] public uint FilterType;
            [FieldOffset(12)] public uint Reserved;
            [FieldOffset(16)] public Guid ClassGuid;
            [FieldOffset(16)] public nint hTarget;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct DEVPROPKEY
        {
            public Guid fmtid;
            public uint pid;
        }

        [LibraryImport(Library)]
        internal static partial uint CM_Register_Notification(CM_NOTIFY_FILTER* pFilter, nint pContext, nint pCallback, nint* pNotifyContext);

        [LibraryImport(Library)]
        internal static partial uint CM_Unregister_Notification(nint NotifyContext);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_Device_Interface_List_SizeW(uint* pulLen, Guid* InterfaceClassGuid, char* pDeviceID, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_Device_Interface_ListW(Guid* InterfaceClassGuid, char* pDeviceID, char* Buffer, uint BufferLen, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_Device_Interface_PropertyW(char* pszDeviceInterface, DEVPROPKEY* PropertyKey, uint* PropertyType,
            byte* PropertyBuffer, uint* PropertyBufferSize, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Locate_DevNodeW(uint* pdnDevInst, char* pDeviceID, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_Parent(uint* pdnDevInst, uint dnDevInst, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_Device_IDW(uint dnDevInst, char* Buffer, uint BufferLen, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_Device_ID_Size(uint* pulLen, uint dnDevInst, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Get_DevNode_Status(uint* pulStatus, uint* pulProblemNumber, uint dnDevInst, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Query_And_Remove_SubTreeW(uint dnAncestor, int* pVetoType, char* pszVetoName, uint ulNameLength, uint ulFlags);

        [LibraryImport(Library)]
        internal static partial uint CM_Request_Device_EjectW(uint dnDevInst, int* pVetoType, char* pszVetoName, uint ulNameLength, uint ulFlags);
    }
}
