using WebhookStudio.Features.Sources;

namespace WebhookStudio.Tests.Sources;

public sealed class SourceHealthRuleTests
{
    private static IEnumerable<PayloadOutcome> Outcomes(int failed, int processed, PayloadOutcome other = PayloadOutcome.Processed) =>
        Enumerable.Repeat(PayloadOutcome.Failed, failed).Concat(Enumerable.Repeat(other, processed));

    [Fact]
    public void A_fifth_of_the_last_50_failing_needs_attention_and_less_does_not()
    {
        var atLimit = SourceHealthRule.Evaluate(Outcomes(10, 40), "No value at id path '$.id'");
        Assert.True(atLimit.NeedsAttention);
        Assert.Equal((10, 50, 20), (atLimit.Failed, atLimit.Settled, atLimit.FailedPercent));
        Assert.Equal("No value at id path '$.id'", atLimit.LastFailure);
        Assert.Contains("10 of its last 50", atLimit.Summary, StringComparison.Ordinal);

        var below = SourceHealthRule.Evaluate(Outcomes(9, 41));
        Assert.False(below.NeedsAttention);
    }

    [Fact]
    public void Only_the_newest_50_settled_payloads_count()
    {
        // 30 failures older than the 50 newest (processed) payloads fall outside the window.
        var newestFirst = Enumerable.Repeat(PayloadOutcome.Processed, 50).Concat(Enumerable.Repeat(PayloadOutcome.Failed, 30));
        var health = SourceHealthRule.Evaluate(newestFirst);
        Assert.False(health.NeedsAttention);
        Assert.Equal(0, health.Failed);
        Assert.Equal(50, health.Settled);
    }

    [Theory]
    [InlineData(PayloadOutcome.Stored)]
    [InlineData(PayloadOutcome.Duplicate)]
    [InlineData(PayloadOutcome.Rejected)]
    [InlineData(PayloadOutcome.Pending)]
    public void Payloads_that_never_reached_the_mapping_are_not_counted(PayloadOutcome other)
    {
        // 3 failures among 100 payloads, but only 3 + 2 of them were mapped: 60% of the mapped ones failed.
        var newestFirst = Outcomes(3, 95, other).Concat(Enumerable.Repeat(PayloadOutcome.Filtered, 2));
        var health = SourceHealthRule.Evaluate(newestFirst);
        Assert.Equal(5, health.Settled);
        Assert.True(health.NeedsAttention);
    }

    [Fact]
    public void A_source_with_nothing_mapped_yet_is_healthy()
    {
        var health = SourceHealthRule.Evaluate([]);
        Assert.False(health.NeedsAttention);
        Assert.Equal(0, health.FailedPercent);
        Assert.Null(health.LastFailure);
    }
}
