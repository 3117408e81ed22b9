using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Hands delivery ids to Hangfire (<see cref="DeliveryJob"/>), now or at a time, and remembers which ids this
/// process has handed over and not yet seen run, so the reconciler does not enqueue them a second time.
/// Jobs carry only ids: the database says what to do when the job runs. New deliveries committed together (a
/// pipeline batch, a replay) go as one job of up to <see cref="MaxPerJob"/> ids: a Hangfire job costs about as
/// much CPU as sending the webhook itself, so one per delivery would halve the throughput.
/// </summary>
public sealed class DeliveryQueue(IBackgroundJobClient jobs, StudioDatabase database, IOptions<DeliveryOptions> options, TimeProvider clock)
{
    /// <summary>A backlog may keep a job waiting for a worker a while; this many passes do not duplicate it.</summary>
    private const int StaleAfterIntervals = 5;

    /// <summary>Delivery id → when its job is due.</summary>
    private readonly ConcurrentDictionary<long, DateTime> handedOver = new();

    public const int MaxPerJob = 50;

    public void Enqueue(long deliveryId)
    {
        handedOver[deliveryId] = clock.GetUtcNow().UtcDateTime;
        jobs.Enqueue<DeliveryJob>(job => job.RunAsync(deliveryId, CancellationToken.None));
    }

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
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var id in chunk)
                handedOver[id] = now;
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
        handedOver[deliveryId] = at;
        jobs.Schedule<DeliveryJob>(job => job.RunAsync(deliveryId, CancellationToken.None), delay);
    }

    /// <summary>A job for the id has started here: from now on only the database knows whether it needs another.</summary>
    public void Started(long deliveryId) => handedOver.TryRemove(deliveryId, out _);

    /// <summary>
    /// Whether a job this process handed over for the id is still to come. With in-memory jobs every job runs in
    /// this process, which forgets the id when it starts. Jobs in PostgreSQL are shared: another instance's worker may
    /// take one and die with it (Hangfire gives such a job back only after half an hour), and this process never hears
    /// of it, so a job late by <see cref="StaleAfterIntervals"/> reconciler intervals no longer counts as coming. At
    /// worst a late one then runs next to a new one, and the lease lets one of them send.
    /// </summary>
    public bool IsHandedOver(long deliveryId)
    {
        if (!handedOver.TryGetValue(deliveryId, out var due))
            return false;
        if (!database.IsShared || clock.GetUtcNow().UtcDateTime < due + StaleAfterIntervals * options.Value.ReconcileEvery)
            return true;
        handedOver.TryRemove(KeyValuePair.Create(deliveryId, due));
        return false;
    }
}
