namespace DeviceNotify.Cli;

/// <summary>Error messages for people: an ArgumentException's text without .NET's "(Parameter 'x')" suffix.</summary>
internal static class ErrorText
{
    internal static string Of(ArgumentException ex)
        => ex.ParamName is { } p ? ex.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : ex.Message;
}
