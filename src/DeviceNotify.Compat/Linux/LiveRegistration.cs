using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

/// <summary>
/// The DeviceNotify registration behind a compatibility handle. The handle exists (and is handed to callbacks)
/// before the registration is live, so a callback may unregister before <see cref="Attach"/> ran: the registration
/// is then disposed as soon as it arrives.
/// </summary>
[SupportedOSPlatform("linux")]
internal abstract class LiveRegistration
{
    private readonly object _gate = new();
    private DeviceRegistration? _registration;
    private bool _unregistered;

    internal void Attach(DeviceRegistration registration)
    {
        lock (_gate)
        {
            _registration = registration;
            if (!_unregistered)
                return;
        }
        registration.Dispose();
    }

    /// <summary>
    /// The options every compatibility registration uses. Windows reports no arrival for what is present at
    /// registration, but does report its removal (and a handle's events): DeviceNotify's own registrations, to keep
    /// arrival and removal paired, say nothing about interfaces they were not told of. So the registration asks for the
    /// present ones (IncludeExisting) and <see cref="IsWindowsEvent"/> drops those synthesized arrivals: what is left
    /// is exactly Windows' stream.
    /// </summary>
    internal static RegistrationOptions Options(string name) => new() { Name = name, IncludeExisting = true };

    /// <summary>False for the arrivals of what was present at registration (see <see cref="Options"/>).</summary>
    internal static bool IsWindowsEvent(DeviceNotification n) => n.Origin != NotificationOrigin.Enumeration;

    /// <summary>Unregisters: from another thread this waits for a callback in flight; from inside the callback it returns at once.</summary>
    internal void Unregister()
    {
        DeviceRegistration? registration;
        lock (_gate)
        {
            _unregistered = true;
            registration = _registration;
        }
        registration?.Dispose();
    }
}
