using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

/// <summary>Subscription filters to and from the wire (broker.proto <c>Filter</c>). Pure.</summary>
internal static class WireFilters
{
    internal static Wire.Filter Encode(DeviceFilter filter)
    {
        switch (filter.Kind)
        {
            case DeviceFilterKind.Interfaces:
                var interfaces = new Wire.InterfaceFilter();
                foreach (var c in filter.Classes)
                {
                    interfaces.Classes.Add(InterfaceClass.BuiltIn.Contains(c)
                        ? new Wire.InterfaceClassSpec { Name = c.Name, Guid = c.Guid.ToString() }
                        : new Wire.InterfaceClassSpec { Name = c.Name, Guid = c.Guid.ToString(), CustomMatch = Encode(c.Match) });
                }
                return new Wire.Filter { Interfaces = interfaces };
            case DeviceFilterKind.Devices:
                return filter.DeviceMatch is null ? new Wire.Filter() : new Wire.Filter { Devices = Encode(filter.DeviceMatch) };
            default:
                throw new ArgumentException("Handle filters are not subscriptions: register the handle in a session.", nameof(filter));
        }
    }

    internal static Wire.DeviceMatch Encode(DeviceMatch m)
    {
        var w = new Wire.DeviceMatch();
        if (m.Subsystem is not null)
            w.Subsystem = m.Subsystem;
        if (m.DevType is not null)
            w.Devtype = m.DevType;
        if (m.SysName is not null)
            w.Sysname = m.SysName;
        if (m.Properties is not null)
            w.Properties.Add(m.Properties.ToDictionary(StringComparer.Ordinal));
        return w;
    }

    /// <summary>The filter a subscriber asked for; throws ArgumentException naming what is wrong and what is accepted.</summary>
    internal static DeviceFilter Decode(Wire.Filter? w)
    {
        switch (w?.KindCase ?? Wire.Filter.KindOneofCase.None)
        {
            case Wire.Filter.KindOneofCase.Interfaces:
                if (w!.Interfaces.Classes.Count == 0)
                    throw new ArgumentException("An interface filter names at least one class.");
                if (w.Interfaces.Classes.Count > 64)
                    throw new ArgumentException($"An interface filter names at most 64 classes, not {w.Interfaces.Classes.Count}.");
                return DeviceFilter.ForInterfaces([.. w.Interfaces.Classes.Select(Decode)]);
            case Wire.Filter.KindOneofCase.Devices:
                return DeviceFilter.ForDevices(Decode(w!.Devices));
            default:
                return DeviceFilter.AllDevices;
        }
    }

    private static InterfaceClass Decode(Wire.InterfaceClassSpec spec)
    {
        if (spec.CustomMatch is { } match)
        {
            if (string.IsNullOrWhiteSpace(spec.Name))
                throw new ArgumentException("A custom interface class needs a name.");
            Guid? guid = null;
            if (spec.Guid.Length > 0)
                guid = Guid.TryParse(spec.Guid, out var g) ? g : throw new ArgumentException($"'{spec.Guid}' is not a GUID.");
            return InterfaceClass.Custom(spec.Name, Decode(match), guid);
        }
        string key = spec.Guid.Length > 0 ? spec.Guid : spec.Name;
        if (InterfaceClass.TryFind(key, out var builtIn))
            return builtIn!;
        throw new ArgumentException($"Unknown interface class '{key}'. Known classes: {string.Join(", ", InterfaceClass.BuiltIn.Select(c => c.Name))} (or a custom class with custom_match).");
    }

    private static DeviceMatch Decode(Wire.DeviceMatch m)
    {
        if (m.Properties.Count > 64)
            throw new ArgumentException($"A device match tests at most 64 properties, not {m.Properties.Count}.");
        return new DeviceMatch
        {
            Subsystem = m.HasSubsystem ? m.Subsystem : null,
            DevType = m.HasDevtype ? m.Devtype : null,
            SysName = m.HasSysname ? m.Sysname : null,
            Properties = m.Properties.Count == 0 ? null : new Dictionary<string, string>(m.Properties, StringComparer.Ordinal),
        };
    }
}
