namespace DeviceNotify;

/// <summary>Enumerates a <see cref="Device"/>'s properties as UTF-8 spans (<see cref="Device.EnumerateUtf8Properties"/>).</summary>
public ref struct Utf8PropertyEnumerator
{
    private readonly Device _device;
    private int _index;

    internal Utf8PropertyEnumerator(Device device)
    {
        _device = device;
        _index = -1;
    }

    /// <summary>The current property.</summary>
    public readonly Utf8Property Current => new(_device.Key(_index), _device.Value(_index));

    /// <summary>Moves to the next property.</summary>
    public bool MoveNext() => ++_index < _device.PropertyCount;

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    public readonly Utf8PropertyEnumerator GetEnumerator() => this;
}
