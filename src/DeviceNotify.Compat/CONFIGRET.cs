namespace DeviceNotify.Compat;

/// <summary>
/// <c>CONFIGRET</c>: the result of every <c>CM_*</c> function, with the <c>CR_*</c> values of the Windows SDK's
/// cfgmgr32.h (10.0.16299, identical in mingw-w64). <c>using static DeviceNotify.Compat.CONFIGRET;</c> lets ported
/// code write <c>CR_SUCCESS</c> as in C.
/// </summary>
public enum CONFIGRET : uint
{
    /// <summary>cfgmgr32.h value 0x00.</summary>
    CR_SUCCESS = 0x00,
    /// <summary>cfgmgr32.h value 0x01.</summary>
    CR_DEFAULT = 0x01,
    /// <summary>cfgmgr32.h value 0x02.</summary>
    CR_OUT_OF_MEMORY = 0x02,
    /// <summary>cfgmgr32.h value 0x03.</summary>
    CR_INVALID_POINTER = 0x03,
    /// <summary>cfgmgr32.h value 0x04.</summary>
    CR_INVALID_FLAG = 0x04,
    /// <summary>cfgmgr32.h value 0x05.</summary>
    CR_INVALID_DEVNODE = 0x05,
    /// <summary>Alias of <see cref="CR_INVALID_DEVNODE"/> (cfgmgr32.h).</summary>
    CR_INVALID_DEVINST = CR_INVALID_DEVNODE,
    /// <summary>cfgmgr32.h value 0x06.</summary>
    CR_INVALID_RES_DES = 0x06,
    /// <summary>cfgmgr32.h value 0x07.</summary>
    CR_INVALID_LOG_CONF = 0x07,
    /// <summary>cfgmgr32.h value 0x08.</summary>
    CR_INVALID_ARBITRATOR = 0x08,
    /// <summary>cfgmgr32.h value 0x09.</summary>
    CR_INVALID_NODELIST = 0x09,
    /// <summary>cfgmgr32.h value 0x0A.</summary>
    CR_DEVNODE_HAS_REQS = 0x0A,
    /// <summary>Alias of <see cref="CR_DEVNODE_HAS_REQS"/> (cfgmgr32.h).</summary>
    CR_DEVINST_HAS_REQS = CR_DEVNODE_HAS_REQS,
    /// <summary>cfgmgr32.h value 0x0B.</summary>
    CR_INVALID_RESOURCEID = 0x0B,
    /// <summary>cfgmgr32.h value 0x0C (WIN 95 ONLY).</summary>
    CR_DLVXD_NOT_FOUND = 0x0C,
    /// <summary>cfgmgr32.h value 0x0D.</summary>
    CR_NO_SUCH_DEVNODE = 0x0D,
    /// <summary>Alias of <see cref="CR_NO_SUCH_DEVNODE"/> (cfgmgr32.h).</summary>
    CR_NO_SUCH_DEVINST = CR_NO_SUCH_DEVNODE,
    /// <summary>cfgmgr32.h value 0x0E.</summary>
    CR_NO_MORE_LOG_CONF = 0x0E,
    /// <summary>cfgmgr32.h value 0x0F.</summary>
    CR_NO_MORE_RES_DES = 0x0F,
    /// <summary>cfgmgr32.h value 0x10.</summary>
    CR_ALREADY_SUCH_DEVNODE = 0x10,
    /// <summary>Alias of <see cref="CR_ALREADY_SUCH_DEVNODE"/> (cfgmgr32.h).</summary>
    CR_ALREADY_SUCH_DEVINST = CR_ALREADY_SUCH_DEVNODE,
    /// <summary>cfgmgr32.h value 0x11.</summary>
    CR_INVALID_RANGE_LIST = 0x11,
    /// <summary>cfgmgr32.h value 0x12.</summary>
    CR_INVALID_RANGE = 0x12,
    /// <summary>cfgmgr32.h value 0x13.</summary>
    CR_FAILURE = 0x13,
    /// <summary>cfgmgr32.h value 0x14.</summary>
    CR_NO_SUCH_LOGICAL_DEV = 0x14,
    /// <summary>cfgmgr32.h value 0x15.</summary>
    CR_CREATE_BLOCKED = 0x15,
    /// <summary>cfgmgr32.h value 0x16 (WIN 95 ONLY).</summary>
    CR_NOT_SYSTEM_VM = 0x16,
    /// <summary>cfgmgr32.h value 0x17.</summary>
    CR_REMOVE_VETOED = 0x17,
    /// <summary>cfgmgr32.h value 0x18.</summary>
    CR_APM_VETOED = 0x18,
    /// <summary>cfgmgr32.h value 0x19.</summary>
    CR_INVALID_LOAD_TYPE = 0x19,
    /// <summary>cfgmgr32.h value 0x1A.</summary>
    CR_BUFFER_SMALL = 0x1A,
    /// <summary>cfgmgr32.h value 0x1B.</summary>
    CR_NO_ARBITRATOR = 0x1B,
    /// <summary>cfgmgr32.h value 0x1C.</summary>
    CR_NO_REGISTRY_HANDLE = 0x1C,
    /// <summary>cfgmgr32.h value 0x1D.</summary>
    CR_REGISTRY_ERROR = 0x1D,
    /// <summary>cfgmgr32.h value 0x1E.</summary>
    CR_INVALID_DEVICE_ID = 0x1E,
    /// <summary>cfgmgr32.h value 0x1F.</summary>
    CR_INVALID_DATA = 0x1F,
    /// <summary>cfgmgr32.h value 0x20.</summary>
    CR_INVALID_API = 0x20,
    /// <summary>cfgmgr32.h value 0x21.</summary>
    CR_DEVLOADER_NOT_READY = 0x21,
    /// <summary>cfgmgr32.h value 0x22.</summary>
    CR_NEED_RESTART = 0x22,
    /// <summary>cfgmgr32.h value 0x23.</summary>
    CR_NO_MORE_HW_PROFILES = 0x23,
    /// <summary>cfgmgr32.h value 0x24.</summary>
    CR_DEVICE_NOT_THERE = 0x24,
    /// <summary>cfgmgr32.h value 0x25.</summary>
    CR_NO_SUCH_VALUE = 0x25,
    /// <summary>cfgmgr32.h value 0x26.</summary>
    CR_WRONG_TYPE = 0x26,
    /// <summary>cfgmgr32.h value 0x27.</summary>
    CR_INVALID_PRIORITY = 0x27,
    /// <summary>cfgmgr32.h value 0x28.</summary>
    CR_NOT_DISABLEABLE = 0x28,
    /// <summary>cfgmgr32.h value 0x29.</summary>
    CR_FREE_RESOURCES = 0x29,
    /// <summary>cfgmgr32.h value 0x2A.</summary>
    CR_QUERY_VETOED = 0x2A,
    /// <summary>cfgmgr32.h value 0x2B.</summary>
    CR_CANT_SHARE_IRQ = 0x2B,
    /// <summary>cfgmgr32.h value 0x2C.</summary>
    CR_NO_DEPENDENT = 0x2C,
    /// <summary>cfgmgr32.h value 0x2D.</summary>
    CR_SAME_RESOURCES = 0x2D,
    /// <summary>cfgmgr32.h value 0x2E.</summary>
    CR_NO_SUCH_REGISTRY_KEY = 0x2E,
    /// <summary>cfgmgr32.h value 0x2F (NT ONLY).</summary>
    CR_INVALID_MACHINENAME = 0x2F,
    /// <summary>cfgmgr32.h value 0x30 (NT ONLY).</summary>
    CR_REMOTE_COMM_FAILURE = 0x30,
    /// <summary>cfgmgr32.h value 0x31 (NT ONLY).</summary>
    CR_MACHINE_UNAVAILABLE = 0x31,
    /// <summary>cfgmgr32.h value 0x32 (NT ONLY).</summary>
    CR_NO_CM_SERVICES = 0x32,
    /// <summary>cfgmgr32.h value 0x33 (NT ONLY).</summary>
    CR_ACCESS_DENIED = 0x33,
    /// <summary>cfgmgr32.h value 0x34.</summary>
    CR_CALL_NOT_IMPLEMENTED = 0x34,
    /// <summary>cfgmgr32.h value 0x35.</summary>
    CR_INVALID_PROPERTY = 0x35,
    /// <summary>cfgmgr32.h value 0x36.</summary>
    CR_DEVICE_INTERFACE_ACTIVE = 0x36,
    /// <summary>cfgmgr32.h value 0x37.</summary>
    CR_NO_SUCH_DEVICE_INTERFACE = 0x37,
    /// <summary>cfgmgr32.h value 0x38.</summary>
    CR_INVALID_REFERENCE_STRING = 0x38,
    /// <summary>cfgmgr32.h value 0x39.</summary>
    CR_INVALID_CONFLICT_LIST = 0x39,
    /// <summary>cfgmgr32.h value 0x3A.</summary>
    CR_INVALID_INDEX = 0x3A,
    /// <summary>cfgmgr32.h value 0x3B.</summary>
    CR_INVALID_STRUCTURE_SIZE = 0x3B,
    /// <summary>cfgmgr32.h value 0x3C.</summary>
    NUM_CR_RESULTS = 0x3C,
}
