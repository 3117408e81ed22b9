using System.Collections.Concurrent;
using Hangfire;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Hands delivery ids to Hangfire (<see cref="DeliveryJob"/>), now or at a time, and remembers which ids this
/// process has handed over and not yet seen run, so the reconciler does not enqueue them a second time.
/// Jobs carry only ids: the database says what to do when the job runs. New deliveries committed together (a
/// pipeline batch, a replay) go as one job of up to <see cref="MaxPerJob"/> ids: a Hangfire job costs about as
/// much CPU as sending the webhook itself, so one per delivery would halve the throughput.
/// </summary>
public sealed class DeliveryQueue(IBackgroundJobClient jobs, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, byte> handedOver = new();

    public void Enqueue(long deliveryId)
    {
        handedOver[deliveryId] = 0;
        jobs.Enqueue<DeliveryJob>(job => job.RunAsync(deliveryId, CancellationToken.None));
    }

    public const int MaxPerJob = 50;

    public void Enqueue(IEnumerable<long> deliveryIds)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        foreach (var chunk in deliveryIds.Chunk(MaxPerJob))
        {
            if (chunk.Length == 1)
            {
                Enqueue(chunk[0]);
                continue;
            }
            foreach (var id in chunk)
                handedOver[id] = 0;
            jobs.Enqueue<DeliveryJob>(job => job.RunAllAsync(chunk, CancellationToken.None));
        }
    }

    public void Schedule(long deliveryId, DateTime at)
    {
        var delay = at - clock.GetUtcNow().UtcDateTime;
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(deliveryId);
            return;
        }
        handedOver[deliveryId] = 0;
        jobs.Schedule<DeliveryJob>(job => job.RunAsync(deliveryId, CancellationToken.None), delay);
    }

    /// <summary>A job for the id has started: from now on only the database knows whether it needs another.</summary>
    public void Started(long deliveryId) => handedOver.TryRemove(deliveryId, out _);

    public bool IsHandedOver(long deliveryId) => handedOver.ContainsKey(deliveryId);
}
