using DeviceNotify.Cli;

namespace DeviceNotify.Tests.Unit;

/// <summary>The monitor's cap on its young generation (a long-running process's footprint).</summary>
public class YoungGenerationCapTests
{
    [Fact]
    public void It_collects_gen0_once_the_budget_is_spent_and_not_before()
    {
        var cap = new YoungGenerationCap(256 << 10);
        cap.Check();
        int before = cap.Collections;
        var keep = new byte[64 << 10];                 // well under the budget
        cap.Check();
        Assert.Equal(before, cap.Collections);
        for (int i = 0; i < 64; i++)
            keep = new byte[16 << 10];                 // 1 MiB: over it
        int gen0 = GC.CollectionCount(0);
        cap.Check();
        Assert.Equal(before + 1, cap.Collections);
        Assert.True(GC.CollectionCount(0) > gen0);
        GC.KeepAlive(keep);
    }

    [Theory]
    [InlineData(null, YoungGenerationCap.DefaultBudget)]
    [InlineData("1048576", 1048576L)]
    public void The_operator_can_set_the_budget(string? value, long budget)
    {
        Assert.Equal(budget, YoungGenerationCap.Parse(value, out var error)!.Budget);
        Assert.Null(error);
    }

    [Fact]
    public void Zero_leaves_it_to_the_GC_and_garbage_names_the_variable()
    {
        Assert.Null(YoungGenerationCap.Parse("0", out var none));
        Assert.Null(none);
        Assert.Null(YoungGenerationCap.Parse("lots", out var error));
        Assert.Contains(YoungGenerationCap.Variable, error, StringComparison.Ordinal);
        Assert.Contains("'lots'", error, StringComparison.Ordinal);
    }
}
