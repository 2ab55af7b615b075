using DeviceNotify.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The catalog reads the mount table and watches volumes: a Linux service.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace DeviceNotify.Samples.Catalog;

/// <summary>Builds the catalog service's host (Program uses it; so do the tests).</summary>
public static class CatalogHost
{
    /// <summary>A host with DeviceNotify, the catalog service and systemd integration (a no-op outside systemd).</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, Action<DeviceNotifyOptions>? configureDeviceNotify = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSystemd();
        builder.Services.AddDeviceNotifications(configureDeviceNotify);
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration("Catalog");
        builder.Services.AddDeviceEventService<CatalogService>();
        return builder;
    }
}
