using DeviceNotify.Linux;

namespace DeviceNotify.Tests.Unit;

/// <summary>
/// Which mounts of a volume in another namespace go away with ours (propagate_umount): those whose parent is a peer
/// or slave of our mount's parent, at the same path, with nothing mounted on them.
/// </summary>
public class MountPropagationTests
{
    private static MountPoint M(int id, int parent, int minor, string path, int? shared = null, int? master = null) => new()
    {
        MountId = id, ParentId = parent, Major = 7, Minor = minor, Root = "/", Path = path, Options = "rw",
        FileSystemType = "ext4", Source = "/dev/loop" + minor, SuperOptions = "rw", SharedPeerGroup = shared, MasterPeerGroup = master,
    };

    // Ours: a shared tmpfs (group 5) at /t, the volume (7:3) mounted on it at /t/m.
    private static readonly MountPoint[] Ours = [M(1, 1, 0, "/"), M(10, 1, 1, "/t", shared: 5), M(11, 10, 3, "/t/m", shared: 6)];
    private static readonly HashSet<(int, int)> Target = [(7, 3)];

    [Theory]
    [InlineData(5, null, true)]      // their /t is a peer of ours
    [InlineData(null, 5, true)]      // their /t is a slave of ours
    [InlineData(null, null, false)]  // private copy: keeps the volume mounted
    [InlineData(9, null, false)]     // shared, but with another group
    public void A_copy_goes_with_our_unmount_only_when_its_parent_propagates_from_ours(int? shared, int? master, bool goes)
    {
        var ns = new MountNamespaces("mnt:[1]", Ours, Target);
        MountPoint[] theirs = [M(100, 100, 0, "/"), M(110, 100, 1, "/t", shared, master), M(111, 110, 3, "/t/m", shared: 6)];
        Assert.Equal(goes, ns.ReceivesOurUnmount(theirs[2], theirs));
    }

    [Fact]
    public void A_copy_with_a_submount_or_at_another_path_stays()
    {
        var ns = new MountNamespaces("mnt:[1]", Ours, Target);
        MountPoint[] submounted = [M(100, 100, 0, "/"), M(110, 100, 1, "/t", shared: 5), M(111, 110, 3, "/t/m"), M(112, 111, 4, "/t/m/sub")];
        Assert.False(ns.ReceivesOurUnmount(submounted[2], submounted));
        MountPoint[] elsewhere = [M(100, 100, 0, "/"), M(110, 100, 1, "/t", shared: 5), M(111, 110, 3, "/t/other")];
        Assert.False(ns.ReceivesOurUnmount(elsewhere[2], elsewhere));
    }

    [Fact]
    public void Each_namespace_is_claimed_once_and_can_be_released()
    {
        var ns = new MountNamespaces("mnt:[own]", Ours, Target);
        Assert.False(ns.TryClaim("mnt:[own]"));
        Assert.True(ns.TryClaim("mnt:[2]"));
        Assert.False(ns.TryClaim("mnt:[2]"));
        ns.Release("mnt:[2]");
        Assert.True(ns.TryClaim("mnt:[2]"));
    }
}
