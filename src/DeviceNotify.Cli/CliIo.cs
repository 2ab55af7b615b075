namespace DeviceNotify.Cli;

/// <summary>Where a verb writes: its output (bytes, for JSON Lines) and its errors. Tests pass memory streams.</summary>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="OutputFd">The descriptor behind <paramref name="Output"/> when it is the process's own stdout (1), so a verb can notice its reader going away; null otherwise.</param>
internal sealed record CliIo(Stream Output, TextWriter Error, int? OutputFd = null)
{
    internal static CliIo Console() => new(System.Console.OpenStandardOutput(), System.Console.Error, 1);
}
