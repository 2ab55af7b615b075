namespace DeviceNotify;

/// <summary>A set-up failure: the kernel refused something the library needs. The message says what to do.</summary>
public sealed class DeviceNotifyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeviceNotifyException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DeviceNotifyException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public DeviceNotifyException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message and the errno that caused it.</summary>
    public DeviceNotifyException(string message, int errno) : base(message) => Errno = errno;

    /// <summary>The Linux errno behind the failure, or 0.</summary>
    public int Errno { get; }

    /// <summary>True when the failure is a missing privilege (EPERM, EACCES): the operation needs root or a capability.</summary>
    public bool IsPermissionDenied => Errno is 1 or 13;
}
