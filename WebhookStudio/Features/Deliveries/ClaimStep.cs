using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>A delivery that is due, with what sending it needs, loaded in one go.</summary>
public sealed record Due(Delivery Delivery, Subscription Subscription, Source? Source);

/// <summary>Deliveries whose leases are the caller's until <see cref="Until"/>, in the order given.</summary>
public sealed record Claimed(Queue<Due> Deliveries, DateTime Until);

/// <summary>
/// Claim: finds which of a job's deliveries are due and takes their leases. A lease is a time on the delivery's row,
/// taken by a conditional UPDATE that only succeeds while the delivery is pending and no live lease holds it, so two
/// workers, two runs of the same job or two instances never send one delivery at the same time.
/// </summary>
public sealed class ClaimStep(
    IDbContextFactory<StudioDbContext> contexts,
    DeliveryWriter writer,
    IOptions<DeliveryOptions> options,
    IOptions<OutboundOptions> outbound,
    TimeProvider clock)
{
    /// <returns>The pending deliveries among <paramref name="deliveryIds"/>, by subscription, in id order.</returns>
    public async Task<ILookup<int, long>> PendingAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.Deliveries.AsNoTracking().Where(d => deliveryIds.Contains(d.Id) && d.Status == DeliveryStatus.Pending && !d.IsTest)
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.SubscriptionId }).ToListAsync(cancellationToken);
        return pending.ToLookup(d => d.SubscriptionId, d => d.Id);
    }

    /// <returns>
    /// The deliveries to send now, in id order. Those with nothing to do are left out: settled, a test, leased by
    /// another worker, woken early (a stale job after "Retry now" rescheduled it), held back behind an earlier one of
    /// the same item, or settled here (cancelled with a deleted subscription, buffered with an inactive one).
    /// </returns>
    public async Task<List<Due>> DueAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deliveries = await db.Deliveries.AsNoTracking().Include(d => d.Item).Include(d => d.ItemChange)
            .Where(d => deliveryIds.Contains(d.Id)).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        deliveries.RemoveAll(d => d is not { Status: DeliveryStatus.Pending, IsTest: false } || d.LeaseUntil > now || d.NextAttemptAt > now + TimeSpan.FromSeconds(1));
        if (deliveries.Count == 0)
            return [];

        var subscriptionIds = deliveries.Select(d => d.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var sourceIds = deliveries.Where(d => d.Item is not null).Select(d => d.Item!.SourceId).Distinct().ToList();
        var sources = sourceIds.Count == 0 ? []
            : await db.Sources.AsNoTracking().Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);

        var due = new List<Due>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            var subscription = subscriptions.GetValueOrDefault(delivery.SubscriptionId);
            if (subscription is null || subscription.DeletedAt is not null)
            {
                await writer.MarkAsync(delivery.Id, DeliveryStatus.Cancelled, "The subscription was deleted.", cancellationToken);
                continue;
            }
            if (!subscription.Active)
            {
                await writer.MarkAsync(delivery.Id, DeliveryStatus.Buffered, null, cancellationToken);
                continue;
            }
            // In activity order per item: an earlier one still waiting holds this one back; it enqueues this one when it settles.
            if (subscription.PreserveOrder && delivery.ItemId is { } itemId && await db.Deliveries.AnyAsync(d =>
                    d.SubscriptionId == subscription.Id && d.ItemId == itemId && d.Id < delivery.Id && d.Status == DeliveryStatus.Pending && !d.IsTest,
                    cancellationToken))
                continue;
            due.Add(new Due(delivery, subscription, delivery.Item is { } item ? sources.GetValueOrDefault(item.SourceId) : null));
        }
        return due;
    }

    /// <summary>
    /// Takes the leases of <paramref name="dues"/> in one commit, long enough for one send and its record; with
    /// <paramref name="held"/> (the time of the caller's earlier claim) it renews the caller's own leases.
    /// </summary>
    public async Task<Claimed> ClaimAsync(IReadOnlyList<Due> dues, DateTime? held, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow().UtcDateTime + outbound.Value.Timeout + options.Value.LeaseMargin;
        var granted = await writer.ClaimAsync([.. dues.Select(d => d.Delivery.Id)], until, held, cancellationToken);
        return new Claimed(new Queue<Due>(dues.Where((_, i) => granted[i])), until);
    }

    /// <summary>Whether a send starting now may outlast the lease: then the lease is renewed first.</summary>
    public bool RunsOut(Claimed claimed) => clock.GetUtcNow().UtcDateTime + outbound.Value.Timeout > claimed.Until;

    /// <summary>Gives a lease back after a send that crashed; on the way down the lease simply runs out.</summary>
    public async Task ReleaseQuietlyAsync(long deliveryId)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await writer.ReleaseAsync(deliveryId, limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Shutting down: the lease runs out by itself and the reconciler takes the delivery up again.
        }
    }
}
