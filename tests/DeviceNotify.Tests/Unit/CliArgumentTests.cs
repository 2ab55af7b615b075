using System.Text;
using DeviceNotify.Cli;

namespace DeviceNotify.Tests.Unit;

/// <summary>The whole CLI in process: bad arguments exit 2 and say what is accepted, without root and without a kernel socket.</summary>
public class CliArgumentTests
{
    private static async Task<(int Code, string Out, string Err)> Run(string args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), new CliIo(output, error), CancellationToken.None);
        return (code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Theory]
    [InlineData("monitor --class Nope", "unknown interface class 'Nope'. Known classes: Disk")]
    [InlineData("list --class Nope", "Known classes: Disk")]
    [InlineData("monitor --receive-buffer -1", "--receive-buffer must be a positive number of bytes")]
    [InlineData("monitor --receive-buffer lots", "lots")]
    [InlineData("monitor --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("frobnicate", "Unrecognized command or argument 'frobnicate'")]
    [InlineData("list --class Net --subsystem block", "give one or the other")]
    [InlineData("list --devices --class Net", "filter them with --subsystem, not --class")]
    [InlineData("monitor --subsystem a/b", "is not a subsystem name")]
    [InlineData("dismount / --timeout 0", "--timeout must be between 0 and 3600 seconds")]
    [InlineData("eject / --timeout 99999", "--timeout must be between 0 and 3600 seconds")]
    [InlineData("lock / --for -2", "--for must be a positive number of seconds")]
    [InlineData("dismount", "Required argument missing")]
    public async Task Bad_arguments_exit_2_and_say_what_is_accepted(string args, string message)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_verb()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "list", "monitor", "volumes", "holders", "dismount", "lock", "eject" })
            Assert.Contains(verb, output, StringComparison.Ordinal);
    }
}
