namespace DeviceNotify.Tests.Support;

/// <summary>Wait windows, named so a reader knows which kind of wait each is.</summary>
internal static class TestTimeouts
{
    /// <summary>How long to wait for something that must happen (generous: CI machines are shared and slow).</summary>
    public static readonly TimeSpan Expected = TimeSpan.FromSeconds(30);

    /// <summary>How long to watch for something that must not happen before concluding it did not.</summary>
    public static readonly TimeSpan MustNotHappen = TimeSpan.FromMilliseconds(750);
}
