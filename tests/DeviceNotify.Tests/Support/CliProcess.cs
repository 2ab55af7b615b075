namespace DeviceNotify.Tests.Support;

/// <summary>Runs the real devnotify CLI as another process.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "devnotify.dll");

    /// <summary>devnotify with <paramref name="arguments"/>, with the given environment assignments (NAME=value).</summary>
    public static Shell.Result Run(string arguments, params string[] environment)
        => Shell.Run("env", $"{string.Join(' ', environment)} dotnet {Dll} {arguments}");
}
