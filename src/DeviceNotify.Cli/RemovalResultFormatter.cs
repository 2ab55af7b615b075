using System.Text.Json;

namespace DeviceNotify.Cli;

/// <summary>Prints a negotiation: who was asked, who answered what, who holds what, and the outcome.</summary>
internal static class RemovalResultFormatter
{
    internal static void Write(RemovalResult r, bool json, Stream output, TextWriter error)
    {
        if (json)
        {
            using var w = new Utf8JsonWriter(output);
            w.WriteStartObject();
            w.WriteString("operation", r.Operation.ToString());
            w.WriteString("device", r.Device.DevNode);
            w.WriteString("devpath", r.Device.DevPath);
            w.WriteBoolean("succeeded", r.Succeeded);
            w.WriteBoolean("forced", r.Forced);
            w.WriteString("error", r.Error);
            WriteParties(w, r.Parties);
            w.WriteEndObject();
            w.Flush();
            output.WriteByte((byte)'\n');
            output.Flush();
            if (!r.Succeeded)
                error.WriteLine($"devnotify {r.Operation.ToString().ToLowerInvariant()}: {r.Error}");
            return;
        }
        var text = new StringWriter();
        text.WriteLine($"{r.Operation.ToString().ToLowerInvariant()} {r.Device.DevNode} ({r.Device.DevPath}): {(r.Succeeded ? (r.Forced ? "done, vetoes overridden" : "done") : "failed")}");
        foreach (var p in r.Parties)
            text.WriteLine(Line(p));
        if (r.Parties.Count == 0)
            text.WriteLine("  nobody was asked and nobody holds it");
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        output.Write(bytes);
        output.Flush();
        if (!r.Succeeded)
            error.WriteLine($"devnotify {r.Operation.ToString().ToLowerInvariant()}: {r.Error}");
    }

    internal static string Line(PartyResponse p)
        => $"  {(p.WasAsked ? "asked " : "holder")} {p.Name,-20} pid {p.ProcessId,-7} {(p.Veto == VetoType.None ? "accepted" : p.Veto + (p.Reason is null ? "" : ": " + p.Reason))}";

    internal static void WriteParties(Utf8JsonWriter w, IEnumerable<PartyResponse> parties)
    {
        w.WriteStartArray("parties");
        foreach (var p in parties)
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            w.WriteNumber("pid", p.ProcessId);
            w.WriteString("process", p.ProcessName);
            w.WriteBoolean("asked", p.WasAsked);
            w.WriteString("veto", p.Veto.ToString());
            w.WriteString("reason", p.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Failure exit code: not permitted when the kernel refused for lack of privilege.</summary>
    internal static ExitCode ExitCodeOf(RemovalResult r) => r.Succeeded
        ? ExitCode.Success
        : r.Parties.Any(p => p.Veto == VetoType.KernelRefused && p.Reason?.Contains("needs root", StringComparison.Ordinal) == true)
            ? ExitCode.NotPermitted
            : ExitCode.Failure;
}
