using System.Diagnostics;

namespace WebhookStudio.Features.Sources.Pipeline;

/// <summary>
/// Accepting webhooks comes before turning them into items: a sender is waiting for its answer (and retries, adding
/// load, when it waits too long), while a payload on disk can wait a little for processing. So while senders are at
/// it and every core is busy, the payload processor rests after each batch for <see cref="RestFactor"/> times as long
/// as the batch took: under overload it keeps about a tenth of its speed, never stopping, and the receiver gets the
/// rest. With a core to spare, or once the senders stop, it never rests, so a backlog drains at full speed even while
/// deliveries keep the cores busy.
/// Busy is read two ways, as either alone misreads some loads: how long a queued continuation waits for a thread
/// (microseconds with a core idle, a sizeable part of a millisecond with every core taken, by any process; but a
/// spinning thread-pool worker picks it up at once however busy the cores are), and the share of all cores this
/// process used since the last batch (three quarters or more is busy: the senders need the rest).
/// </summary>
internal sealed class ProcessorPacing
{
    internal const int RestFactor = 9;
    private const double BusyDelayMs = 0.1;
    private const double BusyCpuShare = 0.75;
    private static readonly TimeSpan LongestRest = TimeSpan.FromMilliseconds(200);

    /// <summary>CPU use is read over at least this long: shorter, the clock's resolution makes it noise.</summary>
    private static readonly TimeSpan CpuWindow = TimeSpan.FromMilliseconds(50);

    private double smoothedDelayMs;
    private double smoothedCpuShare;
    private long cpuReadAt = Stopwatch.GetTimestamp();
    private TimeSpan cpuAtRead = Environment.CpuUsage.TotalTime;

    /// <summary>True when the last measurements (smoothed, as one is noisy) say every core is busy.</summary>
    public bool CoresAreBusy => smoothedDelayMs > BusyDelayMs || smoothedCpuShare >= BusyCpuShare;

    /// <summary>Measures how busy the cores are, then rests if they are and senders are waiting for the receiver.</summary>
    /// <param name="sendersActive">Whether payloads are arriving now (see <see cref="Receiving.PayloadSignal.ReceivedWithin"/>).</param>
    public async Task RestAfterBatchAsync(TimeSpan batchTook, bool sendersActive, CancellationToken cancellationToken)
    {
        var queuedAt = Stopwatch.GetTimestamp();
        await Task.Yield();
        Observe(Stopwatch.GetElapsedTime(queuedAt));
        ReadCpuUse();
        var rest = RestAfter(batchTook, sendersActive);
        if (rest > TimeSpan.Zero)
            await Task.Delay(rest, cancellationToken);
    }

    internal TimeSpan RestAfter(TimeSpan batchTook, bool sendersActive) =>
        CoresAreBusy && sendersActive ? Min(batchTook * RestFactor, LongestRest) : TimeSpan.Zero;

    internal void Observe(TimeSpan schedulingDelay) => smoothedDelayMs = 0.7 * smoothedDelayMs + 0.3 * schedulingDelay.TotalMilliseconds;

    /// <param name="share">The share of all cores this process used over the last window, 0 to 1.</param>
    internal void ObserveCpu(double share) => smoothedCpuShare = 0.7 * smoothedCpuShare + 0.3 * share;

    private void ReadCpuUse()
    {
        var elapsed = Stopwatch.GetElapsedTime(cpuReadAt);
        if (elapsed < CpuWindow)
            return;
        var cpu = Environment.CpuUsage.TotalTime;
        ObserveCpu((cpu - cpuAtRead) / (elapsed * Environment.ProcessorCount));
        (cpuReadAt, cpuAtRead) = (Stopwatch.GetTimestamp(), cpu);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
