using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json.Linq;
using WebhookStudio.Data;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// The outbox: for each activity, one <see cref="Delivery"/> per matching subscription, added to the caller's
/// context so it commits in the same transaction as the activity itself (an item change that is on disk always
/// has its deliveries on disk, and none exists for a change that was rolled back). Jobs are handed to Hangfire
/// only after that commit, by <see cref="Outbox.Dispatch"/>; if the process dies in between, the reconciler
/// finds the pending rows.
/// <para>
/// <c>payload.received</c> fans out when the payload processor settles a payload, whatever the outcome
/// (processed, filtered, failed, stored), in the transaction that records the outcome: every accepted payload
/// passes through the processor exactly once, so this is the one place that sees each of them. Payloads the
/// receiver refused (rejected signatures) or kept as duplicates never reach the processor and are not
/// "received" for subscribers.
/// </para>
/// <para>
/// <c>item.deleted</c>: nothing in the pipeline deletes items today. Erasure (<see cref="ItemService.EraseAsync"/>)
/// deliberately sends nothing: it is a privacy request, the item's data must leave the studio, not be sent on
/// to third parties, and its deliveries are erased with it. A change of kind Deleted, when some feature records
/// one, fans out as <c>item.deleted</c> here without further work.
/// </para>
/// </summary>
public sealed class DeliveryFanOut(DeliveryQueue queue, EventHub<DeliveryChanged> events, TimeProvider clock)
{
    public sealed class Outbox(DeliveryFanOut owner, List<Delivery> deliveries)
    {
        public IReadOnlyList<Delivery> Deliveries => deliveries;

        /// <summary>Call after the transaction committed: enqueues the pending deliveries.</summary>
        public void Dispatch() => owner.Dispatch(deliveries);
    }

    /// <summary>An item activity to fan out: the change (with its tracked <see cref="ItemChange.Item"/>, or the item given).</summary>
    public sealed record ItemActivity(ItemChange Change, Item Item, int SourceId);

    /// <summary>Adds the deliveries to <paramref name="db"/>, for its next <c>SaveChanges</c>.</summary>
    public async Task<Outbox> AddAsync(StudioDbContext db, IEnumerable<ReceivedPayload> settledPayloads, IEnumerable<ItemActivity> itemActivities,
                                       CancellationToken cancellationToken)
    {
        var outbox = await PlanAsync(db, settledPayloads, itemActivities, cancellationToken);
        db.Deliveries.AddRange(outbox.Deliveries);
        return outbox;
    }

    /// <summary>
    /// The deliveries, not added to any context: for a caller that writes them itself in its transaction, after
    /// setting their item and change ids from the navigations (<see cref="Sources.Pipeline.PayloadProcessor"/>).
    /// </summary>
    public async Task<Outbox> PlanAsync(StudioDbContext db, IEnumerable<ReceivedPayload> settledPayloads, IEnumerable<ItemActivity> itemActivities,
                                        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var added = new List<Delivery>();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.DeletedAt == null).ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
            return new Outbox(this, added);

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var activity in itemActivities)
        {
            var kind = ActivityNames.For(activity.Change.Kind);
            JToken? data = null;
            var parsed = false;
            foreach (var subscription in subscriptions)
            {
                if (subscription.Condition is not null && !parsed)
                {
                    data = Read(activity.Item.Data);
                    parsed = true;
                }
                if (!SubscriptionMatcher.Triggers(subscription, activity.SourceId, kind, activity.Change, data))
                    continue;
                var delivery = New(subscription, kind, now);
                // Navigations, not ids: a new item and its change get their ids in the same transaction.
                delivery.Item = activity.Item;
                delivery.ItemChange = activity.Change;
                added.Add(delivery);
            }
        }

        foreach (var payload in settledPayloads)
        {
            foreach (var subscription in subscriptions)
            {
                if (!SubscriptionMatcher.Triggers(subscription, payload.SourceId, Activities.PayloadReceived, null, null))
                    continue;
                var delivery = New(subscription, Activities.PayloadReceived, now);
                delivery.PayloadId = payload.Id;
                added.Add(delivery);
            }
        }
        return new Outbox(this, added);
    }

    private void Dispatch(List<Delivery> deliveries)
    {
        if (deliveries.Count == 0) return;
        queue.Enqueue(deliveries.Where(d => d.Status == DeliveryStatus.Pending).Select(d => d.Id));
        events.Publish(deliveries.Select(d => new DeliveryChanged(d.Id, d.SubscriptionId, d.Status)).ToList());
    }

    /// <summary>A deactivated subscription keeps what it misses as buffered deliveries, for replay on reactivation.</summary>
    internal static Delivery New(Subscription subscription, Activities activity, DateTime now) => new()
    {
        SubscriptionId = subscription.Id,
        Activity = activity,
        WebhookId = WebhookSignature.NewWebhookId(),
        Status = subscription.Active ? DeliveryStatus.Pending : DeliveryStatus.Buffered,
        NextAttemptAt = subscription.Active ? now : null,
        CreatedAt = now,
    };

    private static JToken Read(string json) => JsonBody.ReadStored(json);
}
