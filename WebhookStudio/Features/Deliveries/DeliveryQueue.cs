using Hangfire;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Hands delivery ids to Hangfire as <see cref="DeliveryJob"/>s, now or at a time. Jobs carry only ids: the deliveries
/// table says what to do when a job runs, so a job that runs late, twice or after its delivery settled does no harm.
/// New deliveries committed together (a pipeline batch, a replay) go as one job of up to <see cref="MaxPerJob"/> ids:
/// a Hangfire job costs about as much CPU as sending the webhook itself, so one per delivery would halve the throughput.
/// </summary>
public sealed class DeliveryQueue(IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string Name = "deliveries";

    public const int MaxPerJob = 50;

    public void Enqueue(long deliveryId) => Enqueue([deliveryId]);

    public void Enqueue(IEnumerable<long> deliveryIds)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        foreach (var chunk in deliveryIds.Chunk(MaxPerJob))
            jobs.Enqueue<DeliveryJob>(job => job.RunAsync(chunk, CancellationToken.None));
    }

    public void Schedule(long deliveryId, DateTime at) => Schedule([deliveryId], at);

    public void Schedule(long[] deliveryIds, DateTime at)
    {
        var delay = at - clock.GetUtcNow().UtcDateTime;
        if (delay <= TimeSpan.Zero)
            Enqueue(deliveryIds);
        else
            jobs.Schedule<DeliveryJob>(job => job.RunAsync(deliveryIds, CancellationToken.None), delay);
    }
}
