using Microsoft.Extensions.Options;

namespace DeviceNotify.Hosting;

/// <summary>Checks <see cref="DeviceNotifyOptions"/> at start-up; each failure names the configuration key and what it accepts.</summary>
internal sealed class DeviceNotifyOptionsValidator : IValidateOptions<DeviceNotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceNotifyOptions options)
    {
        var failures = new List<string>();
        string Key(string property) => $"{DeviceNotifyOptions.SectionName}:{property}";
        if (options.ReceiveBufferSize <= 0)
            failures.Add($"{Key(nameof(options.ReceiveBufferSize))} must be a positive number of bytes, not {options.ReceiveBufferSize}.");
        if (options.QueueCapacity < 1)
            failures.Add($"{Key(nameof(options.QueueCapacity))} must be at least 1, not {options.QueueCapacity}.");
        if (options.Source is null)
        {
            if (string.IsNullOrEmpty(options.SysfsRoot) || !Path.IsPathRooted(options.SysfsRoot))
                failures.Add($"{Key(nameof(options.SysfsRoot))} must be an absolute path (normally /sys), not '{options.SysfsRoot}'.");
            else if (!Directory.Exists(options.SysfsRoot))
                failures.Add($"{Key(nameof(options.SysfsRoot))} '{options.SysfsRoot}' is not a directory (sysfs is normally mounted on /sys).");
            if (string.IsNullOrEmpty(options.MountInfoPath) || !Path.IsPathRooted(options.MountInfoPath))
                failures.Add($"{Key(nameof(options.MountInfoPath))} must be an absolute path (normally /proc/self/mountinfo), not '{options.MountInfoPath}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
