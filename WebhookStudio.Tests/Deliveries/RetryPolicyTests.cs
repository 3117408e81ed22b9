using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Tests.Deliveries;

public sealed class RetryPolicyTests
{
    private static readonly IReadOnlyList<TimeSpan> Schedule = DeliveryOptions.DefaultSchedule;

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(4, 7200)]
    [InlineData(5, 18000)]
    [InlineData(6, 36000)]
    [InlineData(7, 36000)]
    [InlineData(12, 36000)]
    public void The_default_schedule_waits_5s_5min_30min_2h_5h_10h_10h(int failedAttempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.Delay(Schedule, failedAttempts, null, 0.1, 0));

    [Fact]
    public void Jitter_moves_a_wait_by_at_most_ten_percent()
    {
        Assert.Equal(TimeSpan.FromSeconds(330), RetryPolicy.Delay(Schedule, 2, null, 0.1, 1));
        Assert.Equal(TimeSpan.FromSeconds(270), RetryPolicy.Delay(Schedule, 2, null, 0.1, -1));
        Assert.Equal(TimeSpan.FromSeconds(330), RetryPolicy.Delay(Schedule, 2, null, 0.1, 7));
    }

    [Fact]
    public void Retry_After_is_honoured_within_the_schedules_bounds()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), RetryPolicy.Delay(Schedule, 1, TimeSpan.FromSeconds(120), 0.1, 1));
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.Delay(Schedule, 3, TimeSpan.FromSeconds(1), 0.1, 0));
        Assert.Equal(TimeSpan.FromHours(10), RetryPolicy.Delay(Schedule, 1, TimeSpan.FromDays(3), 0.1, 0));
    }

    [Fact]
    public void Retry_After_is_read_from_429_and_503_as_seconds_or_a_date()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        ReceivedResponse Answer(int status, string value) => new(status, null, [new HeaderLine("Retry-After", value)], "", false);
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.RetryAfter(Answer(429, "30"), now));
        Assert.Equal(TimeSpan.FromMinutes(2), RetryPolicy.RetryAfter(Answer(503, "Thu, 01 Jan 2026 12:02:00 GMT"), now));
        Assert.Null(RetryPolicy.RetryAfter(Answer(500, "30"), now));
        Assert.Null(RetryPolicy.RetryAfter(Answer(429, "soon"), now));
    }

    [Fact]
    public void Merged_changes_keep_the_first_old_and_the_last_new_value_and_drop_fields_back_where_they_were()
    {
        var merged = DeliveryService.MergeChanges([
            """[{"path":"status","old":"new","new":"paid"},{"path":"total","old":1,"new":2}]""",
            """[{"path":"status","old":"paid","new":"shipped"},{"path":"total","old":2,"new":1}]""",
        ]);
        Assert.Equal("""[{"path":"status","old":"new","new":"shipped"}]""", merged);
    }
}
