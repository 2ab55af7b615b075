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
            w.WriteString("failure", r.Failure.ToString());
            w.WriteString("error", r.Error);
            WriteParties(w, r.Parties);
            w.WriteStartArray("warnings");
            foreach (var warning in r.Warnings)
                w.WriteStringValue(warning);
            w.WriteEndArray();
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
        foreach (var warning in r.Warnings)
            text.WriteLine("  warning: " + warning);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        output.Write(bytes);
        output.Flush();
        if (!r.Succeeded)
            error.WriteLine($"devnotify {r.Operation.ToString().ToLowerInvariant()}: {r.Error}");
    }

    internal static string Line(PartyResponse p)
        => $"  {(p.WasAsked ? "asked " : "holder")} {p.Name,-20} {(p.ProcessId == 0 ? "kernel" : "pid " + p.ProcessId),-11} {(p.Veto == VetoType.None ? "accepted" : p.Veto + (p.Reason is null ? "" : ": " + p.Reason))}";

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
            if (p.FoundBy != HolderKind.None)
                w.WriteString("foundBy", p.FoundBy.ToString());
            if (p.ProcessStartTime != 0)
                w.WriteNumber("startTime", p.ProcessStartTime);
            if (p.Errno != 0)
                w.WriteNumber("errno", p.Errno);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
