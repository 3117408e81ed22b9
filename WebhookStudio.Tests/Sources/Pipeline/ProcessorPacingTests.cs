using System.Diagnostics;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Sources.Receiving;

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
    public void Cores_also_count_as_busy_while_this_process_uses_three_quarters_of_them()
    {
        var pacing = new ProcessorPacing();
        for (var i = 0; i < 10; i++)
            pacing.ObserveCpu(0.5);
        Assert.False(pacing.CoresAreBusy);

        for (var i = 0; i < 10; i++)
            pacing.ObserveCpu(0.9);
        Assert.True(pacing.CoresAreBusy);
        Assert.Equal(TimeSpan.FromMilliseconds(90), pacing.RestAfter(TimeSpan.FromMilliseconds(10), sendersActive: true));
    }

    [Fact]
    public async Task When_every_core_is_busy_while_senders_are_active_the_processor_rests_nine_times_its_batch()
    {
        var pacing = BusyPacing();
        var started = Stopwatch.GetTimestamp();

        await pacing.RestAfterBatchAsync(TimeSpan.FromMilliseconds(10), sendersActive: true, CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(85), $"rested {Stopwatch.GetElapsedTime(started).TotalMilliseconds} ms");
    }

    [Fact]
    public void Once_the_senders_stop_the_processor_does_not_rest_even_with_every_core_busy()
    {
        var pacing = BusyPacing();

        Assert.Equal(TimeSpan.FromMilliseconds(90), pacing.RestAfter(TimeSpan.FromMilliseconds(10), sendersActive: true));
        Assert.Equal(TimeSpan.FromMilliseconds(200), pacing.RestAfter(TimeSpan.FromSeconds(1), sendersActive: true));
        Assert.Equal(TimeSpan.Zero, pacing.RestAfter(TimeSpan.FromMilliseconds(10), sendersActive: false));
        Assert.Equal(TimeSpan.Zero, new ProcessorPacing().RestAfter(TimeSpan.FromMilliseconds(10), sendersActive: true));
    }

    [Fact]
    public void The_signal_says_payloads_are_arriving_only_shortly_after_the_receiver_committed_some()
    {
        var signal = new PayloadSignal();
        Assert.False(signal.ReceivedWithin(TimeSpan.FromSeconds(10)));

        signal.Received();

        Assert.True(signal.ReceivedWithin(TimeSpan.FromSeconds(10)));
        Assert.False(signal.ReceivedWithin(TimeSpan.Zero));
    }

    private static ProcessorPacing BusyPacing()
    {
        var pacing = new ProcessorPacing();
        for (var i = 0; i < 10; i++)
            pacing.Observe(TimeSpan.FromMilliseconds(2));
        return pacing;
    }
}
