using System.Runtime.Versioning;

// The broker serves Linux: Unix sockets with SO_PEERCRED, the kernel source, /proc.
[assembly: SupportedOSPlatform("linux")]
