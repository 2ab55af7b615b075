using System.CommandLine;

namespace DeviceNotify.Cli;

/// <summary>The options shared by the verbs that select devices.</summary>
internal static class FilterOptions
{
    internal static Option<string?> Class() => new("--class", "-c")
    {
        Description = "Interface class: a built-in name (" + string.Join(", ", InterfaceClass.BuiltIn.Select(c => c.Name)) + ") or its GUID.",
    };

    internal static Option<string?> Subsystem() => new("--subsystem", "-s")
    {
        Description = "Kernel subsystem (net, block, tty, usb, input, ...).",
    };

    internal static Option<bool> Json() => new("--json")
    {
        Description = "JSON Lines output: one object per line.",
    };

    /// <summary>
    /// Turns --class/--subsystem into the classes to list or watch. Null (with an error message) when the class
    /// is unknown; an empty list when neither was given.
    /// </summary>
    internal static IReadOnlyList<InterfaceClass>? ResolveClasses(string? className, string? subsystem, out string? error)
    {
        error = null;
        if (className is not null)
        {
            if (!InterfaceClass.TryFind(className, out var cls))
            {
                error = $"unknown interface class '{className}'. Known classes: "
                        + string.Join(", ", InterfaceClass.BuiltIn.Select(c => $"{c.Name} ({c.Guid})")) + ".";
                return null;
            }
            if (subsystem is null)
                return [cls!];
            if (!string.Equals(cls!.Match.Subsystem, subsystem, StringComparison.Ordinal))
            {
                error = $"class {cls.Name} has subsystem '{cls.Match.Subsystem}', not '{subsystem}': give one or the other.";
                return null;
            }
            return [cls];
        }
        if (subsystem is not null)
        {
            if (subsystem.Length == 0 || subsystem.AsSpan().IndexOfAny('/', '\0') >= 0)
            {
                error = $"'{subsystem}' is not a subsystem name (a word such as net, block, tty).";
                return null;
            }
            return [InterfaceClass.Custom(subsystem, new DeviceMatch { Subsystem = subsystem })];
        }
        return [];
    }
}
