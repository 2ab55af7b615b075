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
