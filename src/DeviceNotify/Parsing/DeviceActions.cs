namespace DeviceNotify.Parsing;

/// <summary>Maps the kernel's action words to <see cref="DeviceAction"/> and back, without allocating.</summary>
internal static class DeviceActions
{
    internal static bool TryParse(ReadOnlySpan<byte> word, out DeviceAction action)
    {
        action = word switch
        {
            _ when word.SequenceEqual("add"u8) => DeviceAction.Add,
            _ when word.SequenceEqual("remove"u8) => DeviceAction.Remove,
            _ when word.SequenceEqual("change"u8) => DeviceAction.Change,
            _ when word.SequenceEqual("move"u8) => DeviceAction.Move,
            _ when word.SequenceEqual("online"u8) => DeviceAction.Online,
            _ when word.SequenceEqual("offline"u8) => DeviceAction.Offline,
            _ when word.SequenceEqual("bind"u8) => DeviceAction.Bind,
            _ when word.SequenceEqual("unbind"u8) => DeviceAction.Unbind,
            _ => DeviceAction.None,
        };
        return action != DeviceAction.None;
    }

    internal static string ToKernelString(DeviceAction action) => action switch
    {
        DeviceAction.Add => "add",
        DeviceAction.Remove => "remove",
        DeviceAction.Change => "change",
        DeviceAction.Move => "move",
        DeviceAction.Online => "online",
        DeviceAction.Offline => "offline",
        DeviceAction.Bind => "bind",
        DeviceAction.Unbind => "unbind",
        _ => "none",
    };
}
