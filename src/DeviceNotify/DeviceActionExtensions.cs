namespace DeviceNotify;

/// <summary>The kernel's spelling of <see cref="DeviceAction"/> values.</summary>
public static class DeviceActionExtensions
{
    /// <summary>The kernel's action word (<c>add</c>, <c>remove</c>, <c>change</c>, ...); <c>none</c> for <see cref="DeviceAction.None"/>.</summary>
    public static string ToKernelString(this DeviceAction action) => Parsing.DeviceActions.ToKernelString(action);
}
