namespace DeviceNotify.Samples.Catalog;

/// <summary>The "Catalog" configuration section.</summary>
public sealed class CatalogOptions
{
    /// <summary>The file kept open in the root of each catalogued volume.</summary>
    public string FileName { get; set; } = ".devnotify-catalog";

    /// <summary>Mount points to catalog (globs, '*' matches anything); others (the root filesystem) are left alone.</summary>
    public List<string> MountPaths { get; set; } = [];
}
