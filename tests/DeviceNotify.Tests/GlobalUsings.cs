global using Xunit;

// The tests exercise the Linux implementation; they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
