using System.Diagnostics;
using System.Globalization;

namespace DeviceNotify.Tests.Support;

/// <summary>
/// A Unix user created for one test (useradd, unique name, no home) and deleted afterwards; runs processes as it with
/// setpriv (its uid, its group, its supplementary groups).
/// </summary>
internal sealed class TestUser : IDisposable
{
    public TestUser()
    {
        Name = "dnt" + Guid.NewGuid().ToString("N")[..12];
        Shell.Check("useradd", $"--no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group {Name}");
        Uid = int.Parse(Shell.Check("id", $"-u {Name}").Trim(), CultureInfo.InvariantCulture);
        Gid = int.Parse(Shell.Check("id", $"-g {Name}").Trim(), CultureInfo.InvariantCulture);
        // The CLI and its dependencies must be readable by the user.
        Shell.Check("chmod", $"-R a+rX {AppContext.BaseDirectory}");
    }

    public string Name { get; }

    public int Uid { get; }

    public int Gid { get; }

    /// <summary>The command line that runs <paramref name="command"/> as this user, with the given environment (NAME=value).</summary>
    public string Prefix(params string[] environment)
        => $"--reuid={Uid} --regid={Gid} --init-groups env HOME=/tmp DOTNET_CLI_HOME=/tmp {string.Join(' ', environment)}";

    /// <summary>devnotify as this user, to completion.</summary>
    public Shell.Result Devnotify(string arguments, params string[] environment)
        => Shell.Run("setpriv", $"{Prefix(environment)} dotnet {CliProcess.Dll} {arguments}");

    /// <summary>devnotify as this user, running on (read its output; stop it with SIGINT).</summary>
    public Process StartDevnotify(string arguments, params string[] environment)
        => Process.Start(new ProcessStartInfo("setpriv", $"{Prefix(environment)} dotnet {CliProcess.Dll} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;

    public void Dispose() => Shell.Run("userdel", Name);
}
