namespace DeviceNotify.Windows;

/// <summary>A decoded CM_NOTIFY_EVENT_DATA.</summary>
/// <param name="FilterType">CM_NOTIFY_FILTER_TYPE_* of the registration.</param>
/// <param name="Guid">The interface class (interface events) or the custom event (handle custom events); empty otherwise.</param>
/// <param name="Text">The symbolic link (interface events) or instance ID (instance events); null otherwise.</param>
/// <param name="NameOffset">For a custom event: the offset of a string in <paramref name="Data"/>, or -1.</param>
/// <param name="Data">For a custom event: its data (DataSize bytes); empty otherwise.</param>
internal readonly record struct NotifyEvent(uint FilterType, Guid Guid, string? Text, int NameOffset, byte[] Data);
