using System.Diagnostics;
using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Tests.Sources.Pipeline;

public sealed class ProcessorPacingTests
{
    [Fact]
    public void Cores_count_as_busy_only_once_continuations_wait_long_for_a_thread_and_again_as_free_when_they_stop()
    {
        var pacing = new ProcessorPacing();
        for (var i = 0; i < 10; i++)
            pacing.Observe(TimeSpan.FromMicroseconds(5));
        Assert.False(pacing.CoresAreBusy);

        // One slow wake-up is noise, a few in a row are every core taken.
        pacing.Observe(TimeSpan.FromMilliseconds(0.2));
        Assert.False(pacing.CoresAreBusy);
        for (var i = 0; i < 3; i++)
            pacing.Observe(TimeSpan.FromMilliseconds(0.5));
        Assert.True(pacing.CoresAreBusy);

        for (var i = 0; i < 10; i++)
            pacing.Observe(TimeSpan.FromMicroseconds(5));
        Assert.False(pacing.CoresAreBusy);
    }

    [Fact]
    public async Task When_every_core_is_busy_the_processor_rests_nine_times_its_batch()
    {
        var pacing = new ProcessorPacing();
        for (var i = 0; i < 10; i++)
            pacing.Observe(TimeSpan.FromMilliseconds(2));
        var started = Stopwatch.GetTimestamp();

        await pacing.RestAfterBatchAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(85), $"rested {Stopwatch.GetElapsedTime(started).TotalMilliseconds} ms");
    }
}
