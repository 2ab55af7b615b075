using System.Text;
using System.Text.Json;
using DeviceNotify.Cli;
using DeviceNotify.Tests.Support;

namespace DeviceNotify.Tests.Kernel;

/// <summary>
/// The CLI ends with _exit(2) once its verb returns (the runtime's shutdown cost 5 ms of a 60 ms `list`): everything
/// written must still reach the reader, and the verb's exit code must be the process's.
/// </summary>
[Collection(KernelCollection.Name)]
public class CliExitTests
{
    [Fact]
    public async Task A_verb_s_whole_output_reaches_a_pipe_and_its_exit_code_is_the_process_s()
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["list", "--devices", "--json"], new CliIo(output, error), CancellationToken.None));
        var inProcess = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var run = CliProcess.Run("list --devices --json");
        Assert.Equal(0, run.ExitCode);
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The same devices (nothing was plugged in between), every line whole JSON, the last one included.
        Assert.Equal(inProcess.Length, lines.Length);
        foreach (var line in lines)
            JsonDocument.Parse(line).Dispose();

        var bad = CliProcess.Run("list --class NoSuchClass");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("NoSuchClass", bad.StdErr, StringComparison.Ordinal);
    }
}
