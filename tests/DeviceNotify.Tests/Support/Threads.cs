namespace DeviceNotify.Tests.Support;

/// <summary>Counts this process's threads by name (/proc/self/task/*/comm holds the first 15 bytes of a .NET thread's name).</summary>
internal static class Threads
{
    public static int Named(string prefix) => Directory.GetDirectories("/proc/self/task").Count(t =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(t, "comm")).StartsWith(prefix, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;   // the thread ended meanwhile
        }
    });

    /// <summary>Delivery threads of registrations with DedicatedThread ("DeviceNotify delivery").</summary>
    public static int Delivery() => Named("DeviceNotify de");
}
