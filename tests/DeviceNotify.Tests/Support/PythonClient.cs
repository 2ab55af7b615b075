using System.Diagnostics;

namespace DeviceNotify.Tests.Support;

/// <summary>
/// Python gRPC stubs generated from protos/devnotify/v1 with Debian's protoc and grpc_python_plugin (once per test run),
/// and Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf) to run scripts with them.
/// </summary>
internal static class PythonClient
{
    private static readonly Lazy<string> s_stubs = new(Generate);

    /// <summary>Where the repository's protos are, found from the test binaries upwards.</summary>
    public static string ProtoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "protos");
                if (Directory.Exists(Path.Combine(candidate, "devnotify", "v1")))
                    return candidate;
            }
            throw new InvalidOperationException("protos/devnotify/v1 not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts /usr/bin/python3 on a script of TestData/python with the generated stubs on its path.</summary>
    public static Process Start(string script, params string[] arguments)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TestData", "python", script));
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        psi.Environment["PYTHONPATH"] = s_stubs.Value;
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return Process.Start(psi)!;
    }

    public static string StubDirectory => s_stubs.Value;

    private static string Generate()
    {
        string output = Directory.CreateTempSubdirectory("devnotify-pystubs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        string root = ProtoRoot;
        var protos = string.Join(' ', Directory.GetFiles(Path.Combine(root, "devnotify", "v1"), "*.proto").Select(p => Path.GetRelativePath(root, p)));
        Shell.Check("sh", $"-c \"cd {root} && protoc -I . --python_out={output} --grpc_python_out={output} --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin {protos}\"");
        Shell.Check("chmod", $"-R a+rX {output}");
        return output;
    }
}
