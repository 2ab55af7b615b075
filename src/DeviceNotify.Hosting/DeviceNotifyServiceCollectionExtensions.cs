using System.Diagnostics.Metrics;
using DeviceNotify.Linux;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceNotify.Hosting;

/// <summary>Registers DeviceNotify in a host's services.</summary>
public static class DeviceNotifyServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="DeviceWatcher"/> (singleton, created with the host's <see cref="ILoggerFactory"/> and
    /// <see cref="IMeterFactory"/>), started before the hosted services start and disposed after they stopped; a
    /// <see cref="RemovalCoordinator"/> on it; and <see cref="DeviceNotifyOptions"/> bound from the
    /// <c>"DeviceNotify"</c> configuration section. Bad configuration (an unknown key, a value of the wrong type, a
    /// value out of range) fails the host's start with a message naming the key.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes to the options after configuration was bound (for example a test's source).</param>
    public static IServiceCollection AddDeviceNotifications(this IServiceCollection services, Action<DeviceNotifyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DeviceNotifyOptions>()
            .BindConfiguration(DeviceNotifyOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeviceNotifyOptions>, DeviceNotifyOptionsValidator>());
        services.TryAddSingleton(CreateWatcher);
        services.TryAddSingleton(sp => new RemovalCoordinator(sp.GetRequiredService<DeviceWatcher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, DeviceWatcherService>());
        return services;
    }

    /// <summary>Adds a <see cref="DeviceEventService"/> as a hosted service (call <see cref="AddDeviceNotifications"/> too).</summary>
    public static IServiceCollection AddDeviceEventService<TService>(this IServiceCollection services)
        where TService : DeviceEventService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TService>();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => sp.GetRequiredService<TService>());
        return services;
    }

    private static DeviceWatcher CreateWatcher(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<DeviceNotifyOptions>>().Value;
        var source = o.Source;
        if (source is null && OperatingSystem.IsLinux())
        {
            source = new KernelDeviceSource(new KernelDeviceSourceOptions
            {
                ReceiveBufferSize = o.ReceiveBufferSize,
                SysfsRoot = o.SysfsRoot,
                MountInfoPath = o.MountInfoPath,
            });
        }
        return new DeviceWatcher(new DeviceWatcherOptions
        {
            Source = source,
            Logger = services.GetService<ILoggerFactory>()?.CreateLogger("DeviceNotify"),
            MeterFactory = services.GetService<IMeterFactory>(),
        });
    }
}
