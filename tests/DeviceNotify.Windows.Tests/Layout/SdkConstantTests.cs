using System.Globalization;
using System.Reflection;
using DeviceNotify.Compat;

namespace DeviceNotify.Windows.Tests.Layout;

/// <summary>
/// Every name and value of the compatibility layer against the SDK headers (TestData/sdk-constants.txt, extracted by
/// TestData/extract-sdk-constants.py from the Windows SDK 10.0.16299 headers and, for the few newer names, mingw-w64):
/// each constant, enum member and GUID the layer defines has the SDK's value, and every CR_*, DBT_*, DBTF_*,
/// CM_NOTIFY_*, PNP_Veto*, GUID_IO_* and GUID_DEVINTERFACE_* name of those headers is defined.
/// </summary>
public class SdkConstantTests
{
    private static readonly Dictionary<string, string> s_sdk = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "sdk-constants.txt"))
        .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);

    // Not #define'd numbers in the headers: macros of casts or CTL_CODE (checked in InteropLayoutTests), a DEVPROPKEY,
    // aliases (checked below), and one GUID of a newer ioevent.h than SDK 10.0.16299 (FACTS.md §9a).
    private static readonly HashSet<string> s_notNumbers =
    [
        "INVALID_HANDLE_VALUE", "FSCTL_LOCK_VOLUME", "FSCTL_UNLOCK_VOLUME", "FSCTL_DISMOUNT_VOLUME", "DEVPKEY_Device_InstanceId",
        "CR_INVALID_DEVINST", "CR_DEVINST_HAS_REQS", "CR_NO_SUCH_DEVINST", "CR_ALREADY_SUCH_DEVINST", "CM_NOTIFY_FILTER_VALID_FLAGS",
        "GUID_IO_VOLUME_PREPARE_DELETE",
    ];

    private static IEnumerable<(string Name, string Value)> CompatConstants()
    {
        foreach (var enumType in new[] { typeof(CONFIGRET), typeof(CM_NOTIFY_ACTION), typeof(CM_NOTIFY_FILTER_TYPE), typeof(PNP_VETO_TYPE) })
        {
            foreach (var name in Enum.GetNames(enumType))
                yield return (name, Convert.ToUInt64(Enum.Parse(enumType, name), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        }
        foreach (var holder in new[] { typeof(Dbt), typeof(CfgMgr32), typeof(User32), typeof(AdvApi32), typeof(Kernel32), typeof(WinError), typeof(IoEvent), typeof(DeviceInterfaceGuids) })
        {
            foreach (var field in holder.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                object? value = field.GetValue(null);
                string text = value switch
                {
                    Guid g => g.ToString(),
                    int i => ((long)i).ToString(CultureInfo.InvariantCulture),
                    null => "",
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
                };
                yield return (field.Name, text);
            }
        }
    }

    [Fact]
    public void Every_constant_has_the_SDKs_value()
    {
        var wrong = new List<string>();
        int compared = 0;
        foreach (var (name, value) in CompatConstants())
        {
            if (s_notNumbers.Contains(name))
                continue;
            if (!s_sdk.TryGetValue(name, out var sdk))
                wrong.Add($"{name} = {value}: not in the SDK headers");
            else if (!string.Equals(sdk, value, StringComparison.OrdinalIgnoreCase))
                wrong.Add($"{name} = {value}, the SDK says {sdk}");
            compared++;
        }
        Assert.Empty(wrong);
        Assert.True(compared > 230, $"only {compared} constants compared");
    }

    [Fact]
    public void Every_SDK_name_of_the_ported_families_is_defined()
    {
        var defined = CompatConstants().Select(c => c.Name).ToHashSet();
        string[] families = ["CR_", "DBT_", "DBTF_", "CM_NOTIFY_", "PNP_Veto", "GUID_IO_", "GUID_DEVINTERFACE_"];
        var missing = s_sdk.Keys.Where(n => families.Any(f => n.StartsWith(f, StringComparison.Ordinal)) && !defined.Contains(n)).Order().ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_aliases_and_derived_values_are_the_SDKs()
    {
        Assert.Equal(CONFIGRET.CR_INVALID_DEVNODE, CONFIGRET.CR_INVALID_DEVINST);
        Assert.Equal(CONFIGRET.CR_DEVNODE_HAS_REQS, CONFIGRET.CR_DEVINST_HAS_REQS);
        Assert.Equal(CONFIGRET.CR_NO_SUCH_DEVNODE, CONFIGRET.CR_NO_SUCH_DEVINST);
        Assert.Equal(CONFIGRET.CR_ALREADY_SUCH_DEVNODE, CONFIGRET.CR_ALREADY_SUCH_DEVINST);
        Assert.Equal(3u, CfgMgr32.CM_NOTIFY_FILTER_VALID_FLAGS);
        Assert.Equal(-1, Kernel32.INVALID_HANDLE_VALUE);
        Assert.Equal(new Guid("78c34fc8-104a-4aca-9ea4-524d52996e57"), CfgMgr32.DEVPKEY_Device_InstanceId.fmtid);
        Assert.Equal(256u, CfgMgr32.DEVPKEY_Device_InstanceId.pid);
        // The library's own GUIDs are the same values (VolumeEvents, InterfaceClass).
        Assert.Equal(IoEvent.GUID_IO_VOLUME_DISMOUNT, VolumeEvents.VolumeDismount);
        Assert.Equal(IoEvent.GUID_IO_VOLUME_LOCK_FAILED, VolumeEvents.VolumeLockFailed);
        Assert.Equal(DeviceInterfaceGuids.GUID_DEVINTERFACE_DISPLAY_ADAPTER, InterfaceClass.DisplayAdapter.Guid);
        Assert.Equal(DeviceInterfaceGuids.GUID_DEVINTERFACE_NET, InterfaceClass.Net.Guid);
    }
}
