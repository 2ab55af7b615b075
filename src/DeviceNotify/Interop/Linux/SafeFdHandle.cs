using System.Runtime.InteropServices;

namespace DeviceNotify;

/// <summary>An owned Linux file descriptor; closed exactly once when released.</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle() : base(new IntPtr(-1), ownsHandle: true) { }

    internal SafeFdHandle(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    internal int Fd => (int)handle.ToInt64();

    // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
    protected override bool ReleaseHandle() => Interop.Close(Fd) == 0;
}
