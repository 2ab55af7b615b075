using System.CommandLine;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;

namespace DeviceNotify.Cli;

/// <summary>The arguments of <c>devnotify volumes</c>.</summary>
internal sealed record VolumesArgs(bool Json, string SysfsRoot = "/sys", string MountInfo = VolumeEnumerator.DefaultMountInfoPath);

/// <summary><c>devnotify volumes</c>: block devices that hold a filesystem, what is on them, where they are mounted.</summary>
[SupportedOSPlatform("linux")]
internal static class VolumesCommand
{
    internal static Command Create(CliIo io)
    {
        var json = FilterOptions.Json();
        var command = new Command("volumes", "List volumes: filesystem type, label and UUID (libblkid) and mount points (mountinfo).") { json };
        command.SetAction(parse => (int)Run(new VolumesArgs(parse.GetValue(json)), io.Output, io.Error));
        return command;
    }

    internal static ExitCode Run(VolumesArgs args, Stream output, TextWriter error)
    {
        var volumes = VolumeEnumerator.GetVolumes(args.SysfsRoot, args.MountInfo);
        using var buffered = new BufferedStream(output, 1 << 16);
        if (args.Json)
        {
            foreach (var v in volumes)
            {
                using (var w = new Utf8JsonWriter(buffered))
                {
                    w.WriteStartObject();
                    w.WriteString("devnode", v.DevNode);
                    w.WriteString("devpath", v.Device.DevPath);
                    w.WriteString("type", v.FileSystemType);
                    w.WriteString("label", v.Label);
                    w.WriteString("uuid", v.Uuid);
                    if (v.ProbeError is not null)
                        w.WriteString("probeError", v.ProbeError);
                    w.WriteStartArray("mounts");
                    foreach (var m in v.MountPoints)
                    {
                        w.WriteStartObject();
                        w.WriteString("path", m.Path);
                        w.WriteString("root", m.Root);
                        w.WriteString("fstype", m.FileSystemType);
                        w.WriteString("options", m.Options);
                        w.WriteBoolean("readOnly", m.IsReadOnly);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                buffered.WriteByte((byte)'\n');
            }
        }
        else
        {
            var text = new StringBuilder();
            text.AppendLine($"{"DEVICE",-16} {"TYPE",-8} {"LABEL",-16} {"UUID",-36} MOUNTED ON");
            foreach (var v in volumes)
            {
                string mounts = v.IsMounted ? string.Join(", ", v.MountPoints.Select(m => m.Path + (m.IsReadOnly ? " (ro)" : ""))) : "-";
                text.AppendLine($"{v.DevNode,-16} {v.FileSystemType ?? "-",-8} {v.Label ?? "-",-16} {v.Uuid ?? "-",-36} {mounts}");
            }
            buffered.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }
        buffered.Flush();
        int unreadable = volumes.Count(v => v.ProbeError is not null);
        if (unreadable > 0)
        {
            error.WriteLine($"devnotify volumes: {unreadable} volume(s) could not be probed ({volumes.First(v => v.ProbeError is not null).ProbeError}); " +
                            "reading a device needs root or the 'disk' group, and a container's device policy must allow it.");
        }
        return ExitCode.Success;
    }
}
