// The seed's second scenario as a worker service: a catalog that keeps a file open on every mounted removable
// volume, closes it when someone asks to dismount or lock the volume, and reopens it when that fails, when the lock
// is released, or when the volume is mounted again. Run it as root; dismount with `devnotify dismount /media/usb`.
using DeviceNotify.Samples.Catalog;
using Microsoft.Extensions.Hosting;

using var host = CatalogHost.CreateBuilder(args).Build();
await host.RunAsync();
