namespace DeviceNotify.Parsing;

/// <summary>Where one <c>KEY=VALUE</c> field lies in a device's property block.</summary>
internal readonly record struct PropertyField(int Start, int KeyLength, int Length)
{
    internal int ValueStart => Start + KeyLength + 1;
    internal int ValueLength => Length - KeyLength - 1;
}
