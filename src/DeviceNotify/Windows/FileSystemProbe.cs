using DeviceNotify.Dispatch;

namespace DeviceNotify.Windows;

/// <summary>Reads a volume's file system and label with GetVolumeInformation (on its \\?\Volume{…}\ root).</summary>
internal static class FileSystemProbe
{
    internal static VolumeProbeResult Probe(INativeMethods native, Device device)
    {
        if (device.GetProperty(DeviceRecords.VolumeNameKey) is not { } root)
            return VolumeProbeResult.Unavailable($"{InterfaceClass.GetInterfacePath(device)} is not a volume with a \\\\?\\Volume{{…}} name");
        return native.GetVolumeInformation(root, out string label, out string fileSystem, out int error)
            ? new VolumeProbeResult(fileSystem, label, null, null)
            : VolumeProbeResult.Unavailable($"GetVolumeInformation({root}) failed with Win32 error {error}");
    }
}
