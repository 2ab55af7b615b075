global using Xunit;

// The compatibility layer runs on the real Linux kernel here, and the Windows backend against a fake native layer:
// every test runs on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
