using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Filters of the delivery log. <see cref="HttpStatus"/> is the last answer's status (e.g. 500); <see cref="Test"/>
/// true keeps only tests sent with the Test button, false only deliveries of activities, null both.
/// </summary>
public sealed record DeliveryQuery(
    int? SubscriptionId = null, DeliveryStatus? Status = null, long? ItemId = null, Activities? Activity = null,
    DateTime? From = null, DateTime? To = null, int? HttpStatus = null, bool? Test = null);

/// <param name="ItemLabel">How people know the delivery's item: its title, else its external id (e.g. "Order #1007").</param>
public sealed record DeliveryRow(Delivery Delivery, string SubscriptionName, string? ItemLabel = null);

public sealed record DeliveryDetail(Delivery Delivery, string SubscriptionName, bool SubscriptionActive, IReadOnlyList<DeliveryAttempt> Attempts, string? ItemLabel = null);

/// <summary>One recent result of a subscription, for its chart.</summary>
public sealed record DeliveryResultPoint(long DeliveryId, DateTime At, bool Succeeded, int? StatusCode, int DurationMs, FailureKind Failure);

/// <summary>What the subscription page shows: success rate and median latency over the last 50 attempts, and those attempts.</summary>
public sealed record SubscriptionDeliveryHealth(double? SuccessRate, double? MedianLatencyMs, IReadOnlyList<DeliveryResultPoint> Recent);

/// <summary>What to do with buffered deliveries on reactivation.</summary>
public enum ReplayMode { None, All, Latest }

public sealed record ActivationResult(Subscription Subscription, int Replayed, int Cancelled);

/// <summary>The delivery log, and what people do to deliveries and to a subscription's delivery state; the UI and the API call it alike.</summary>
public sealed class DeliveryService(
    IDbContextFactory<StudioDbContext> contexts,
    StudioWrites writes,
    DeliveryQueue queue,
    EventHub<DeliveryChanged> events,
    TimeProvider clock)
{
    private const int RecentResults = 50;

    public async Task<(IReadOnlyList<DeliveryRow> Items, int Total)> ListAsync(DeliveryQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var filtered = Filter(db, query);
        if (query.Status is { } status) filtered = filtered.Where(d => d.Status == status);
        var total = await filtered.CountAsync(cancellationToken);
        var rows = await filtered.OrderByDescending(d => d.Id).Skip(page.Skip).Take(page.Size)
            .Join(db.Subscriptions, d => d.SubscriptionId, s => s.Id, (d, s) => new { d, s.Name })
            .ToListAsync(cancellationToken);
        var labels = await ItemLabelsAsync(db, rows.Select(r => r.d.ItemId), cancellationToken);
        return (rows.Select(r => new DeliveryRow(r.d, r.Name, r.d.ItemId is { } item ? labels.GetValueOrDefault(item) : null)).ToList(), total);
    }

    private static async Task<Dictionary<long, string>> ItemLabelsAsync(StudioDbContext db, IEnumerable<long?> itemIds, CancellationToken cancellationToken)
    {
        var ids = itemIds.OfType<long>().Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Items.AsNoTracking().Where(i => ids.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => i.Title ?? i.ExternalId, cancellationToken);
    }

    /// <summary>How many deliveries of each status match the other filters.</summary>
    public async Task<IReadOnlyDictionary<DeliveryStatus, int>> CountsAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await Filter(db, query).GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return Enum.GetValues<DeliveryStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    private static IQueryable<Delivery> Filter(StudioDbContext db, DeliveryQuery query)
    {
        var deliveries = db.Deliveries.AsNoTracking();
        if (query.Test is { } test) deliveries = deliveries.Where(d => d.IsTest == test);
        if (query.SubscriptionId is { } subscriptionId) deliveries = deliveries.Where(d => d.SubscriptionId == subscriptionId);
        if (query.ItemId is { } itemId) deliveries = deliveries.Where(d => d.ItemId == itemId);
        if (query.Activity is { } activity) deliveries = deliveries.Where(d => d.Activity == activity);
        if (query.From is { } from) deliveries = deliveries.Where(d => d.CreatedAt >= from);
        if (query.To is { } to) deliveries = deliveries.Where(d => d.CreatedAt < to);
        if (query.HttpStatus is { } http) deliveries = deliveries.Where(d => d.LastStatusCode == http);
        return deliveries;
    }

    public async Task<DeliveryDetail?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null) return null;
        var subscription = await db.Subscriptions.AsNoTracking().Where(s => s.Id == delivery.SubscriptionId)
            .Select(s => new { s.Name, s.Active }).FirstAsync(cancellationToken);
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var labels = await ItemLabelsAsync(db, [delivery.ItemId], cancellationToken);
        return new DeliveryDetail(delivery, subscription.Name, subscription.Active, attempts, delivery.ItemId is { } item ? labels.GetValueOrDefault(item) : null);
    }

    /// <summary>Sends a pending or failed delivery now; a failed one starts a new chain of attempts (same webhook-id).</summary>
    /// <returns>Null when there is no such delivery.</returns>
    public async Task<Delivery?> RetryNowAsync(long id, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var delivery = await writes.RunAsync(async db =>
        {
            var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
            if (delivery is null) return null;
            if (delivery.IsTest)
                throw new ConflictException("A test is not retried; press Test on the subscription again, or replay it.");
            if (delivery.Status is not (DeliveryStatus.Pending or DeliveryStatus.Failed))
                throw new ConflictException($"Only pending or failed deliveries can be retried; this one is {Describe(delivery.Status)}. Replay it to send it again.");
            if (delivery.LeaseUntil > now)
                throw new ConflictException("It is being sent right now; look again in a moment.");
            await RequireActiveAsync(db, delivery.SubscriptionId, cancellationToken);
            Reopen(delivery, now);
            return delivery;
        }, cancellationToken);
        if (delivery is null) return null;
        queue.Enqueue(delivery.Id);
        events.Publish([new DeliveryChanged(delivery.Id, delivery.SubscriptionId, delivery.Status)]);
        return delivery;
    }

    /// <summary>A new delivery of the same activity with its own attempts; the same webhook-id unless <paramref name="newWebhookId"/>.</summary>
    public async Task<Delivery?> ReplayAsync(long id, bool newWebhookId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var copy = await writes.RunAsync(async db =>
        {
            var original = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
            if (original is null) return null;
            await RequireActiveAsync(db, original.SubscriptionId, cancellationToken);
            var copy = new Delivery
            {
                SubscriptionId = original.SubscriptionId, Activity = original.Activity, ItemId = original.ItemId, ItemChangeId = original.ItemChangeId,
                PayloadId = original.PayloadId, ActivityJson = original.ActivityJson,
                WebhookId = newWebhookId ? WebhookSignature.NewWebhookId() : original.WebhookId,
                Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now, ReplayOfId = original.Id,
            };
            db.Deliveries.Add(copy);
            return copy;
        }, cancellationToken);
        if (copy is null) return null;
        queue.Enqueue(copy.Id);
        events.Publish([new DeliveryChanged(copy.Id, copy.SubscriptionId, copy.Status)]);
        return copy;
    }

    /// <summary>Sends every failed delivery of the subscription created since <paramref name="since"/> again (a new chain each, same webhook-id).</summary>
    /// <returns>How many; null when there is no such subscription.</returns>
    public async Task<int?> ReplayFailedAsync(int subscriptionId, DateTime? since, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var failed = await writes.RunAsync(async db =>
        {
            if (!await db.Subscriptions.AnyAsync(s => s.Id == subscriptionId && s.DeletedAt == null, cancellationToken)) return null;
            await RequireActiveAsync(db, subscriptionId, cancellationToken);
            var query = db.Deliveries.Where(d => d.SubscriptionId == subscriptionId && d.Status == DeliveryStatus.Failed && !d.IsTest);
            if (since is { } from) query = query.Where(d => d.CreatedAt >= from);
            var failed = await query.OrderBy(d => d.Id).ToListAsync(cancellationToken);
            foreach (var delivery in failed)
                Reopen(delivery, now);
            return failed;
        }, cancellationToken);
        if (failed is null) return null;
        queue.Enqueue(failed.Select(d => d.Id));
        events.Publish(failed.Select(d => new DeliveryChanged(d.Id, d.SubscriptionId, d.Status)).ToList());
        return failed.Count;
    }

    /// <summary>
    /// Reactivates a subscription. Its buffered deliveries are replayed (all, in order; or only the latest state of
    /// each item: one delivery per item with its current data and the merged change log) or cancelled.
    /// </summary>
    /// <returns>Null when there is no such subscription.</returns>
    public async Task<ActivationResult?> ActivateAsync(int subscriptionId, ReplayMode replay, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var toSend = new List<Delivery>();
        var cancelled = 0;
        var subscription = await writes.RunAsync(async db =>
        {
            var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.DeletedAt == null, cancellationToken);
            if (subscription is null) return null;
            subscription.Active = true;
            subscription.DeactivationReason = null;
            subscription.DeactivatedAt = null;
            subscription.ConsecutiveFailures = 0;
            subscription.FailingSince = null;
            subscription.UpdatedAt = now;

            var buffered = await db.Deliveries.Where(d => d.SubscriptionId == subscriptionId && d.Status == DeliveryStatus.Buffered)
                .OrderBy(d => d.Id).ToListAsync(cancellationToken);
            var keep = replay switch
            {
                ReplayMode.All => buffered,
                ReplayMode.Latest => await LatestPerItemAsync(db, subscription, buffered, now, cancellationToken),
                _ => [],
            };
            foreach (var delivery in buffered.Except(keep))
            {
                delivery.Status = DeliveryStatus.Cancelled;
                delivery.CompletedAt = now;
                delivery.LastError ??= replay == ReplayMode.None ? "Not replayed when the subscription was reactivated." : delivery.LastError;
            }
            cancelled = buffered.Count - keep.Count(buffered.Contains);
            foreach (var delivery in keep)
            {
                if (delivery.Id != 0) Reopen(delivery, now);
                toSend.Add(delivery);
            }
            await db.Notifications.Where(n => n.SubscriptionId == subscriptionId && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
            return subscription;
        }, cancellationToken);
        if (subscription is null) return null;
        queue.Enqueue(toSend.Select(d => d.Id));
        events.Publish([new DeliveryChanged(0, subscriptionId, DeliveryStatus.Pending)]);
        return new ActivationResult(subscription, toSend.Count, cancelled);
    }

    /// <summary>
    /// One delivery per item: the item as it is now with the changes of all its buffered activities merged
    /// (per field, the oldest old value and the newest new value). Buffered payload activities are all kept.
    /// The merged ones are cancelled with a note pointing at the replacement.
    /// </summary>
    private static async Task<List<Delivery>> LatestPerItemAsync(StudioDbContext db, Subscription subscription, List<Delivery> buffered, DateTime now,
                                                                 CancellationToken cancellationToken)
    {
        var keep = buffered.Where(d => d.ItemId is null).ToList();
        foreach (var group in buffered.Where(d => d.ItemId is not null).GroupBy(d => d.ItemId!.Value))
        {
            var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == group.Key, cancellationToken);
            if (item is null) continue;
            var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == item.SourceId, cancellationToken);
            var changeIds = group.Where(d => d.ItemChangeId is not null).Select(d => d.ItemChangeId!.Value).ToList();
            var changes = await db.ItemChanges.AsNoTracking().Where(c => changeIds.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(cancellationToken);
            var activity = group.Any(d => d.Activity == Activities.ItemCreated) ? Activities.ItemCreated : group.Last().Activity;
            var model = TemplateModel.ForItem(ActivityNames.Name(activity), changes.LastOrDefault()?.At ?? now, item, source, MergeChanges(changes.Select(c => c.Fields)));
            var latest = new Delivery
            {
                SubscriptionId = subscription.Id, Activity = activity, ItemId = item.Id, ActivityJson = TemplateRenderer.AsJson(model).ToJsonString(),
                WebhookId = WebhookSignature.NewWebhookId(), Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            };
            db.Deliveries.Add(latest);
            keep.Add(latest);
            foreach (var merged in group)
                merged.LastError = $"Merged into the latest state of item #{item.Id} when the subscription was reactivated.";
        }
        return keep;
    }

    /// <summary>Field changes of several steps as one: per path, the first old value and the last new value; paths back where they started drop out.</summary>
    public static string MergeChanges(IEnumerable<string> fieldLists)
    {
        ArgumentNullException.ThrowIfNull(fieldLists);
        var merged = new List<(string Path, JsonNode? Old, JsonNode? New)>();
        foreach (var list in fieldLists)
        {
            if (JsonNode.Parse(list) is not JsonArray fields) continue;
            foreach (var field in fields.OfType<JsonObject>())
            {
                var path = field["path"]?.GetValue<string>() ?? "";
                var index = merged.FindIndex(m => m.Path == path);
                if (index < 0) merged.Add((path, field["old"]?.DeepClone(), field["new"]?.DeepClone()));
                else merged[index] = (path, merged[index].Old, field["new"]?.DeepClone());
            }
        }
        var result = new JsonArray();
        foreach (var (path, old, @new) in merged.Where(m => !JsonNode.DeepEquals(m.Old, m.New)))
            result.Add(new JsonObject { ["path"] = path, ["old"] = old, ["new"] = @new });
        return result.ToJsonString();
    }

    /// <returns>Null when there is no such subscription.</returns>
    public async Task<Subscription?> DeactivateAsync(int subscriptionId, string? reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var subscription = await writes.RunAsync(async db =>
        {
            var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.DeletedAt == null, cancellationToken);
            if (subscription is { Active: true })
                await SubscriptionStates.DeactivateAsync(db, subscription, string.IsNullOrWhiteSpace(reason) ? "Deactivated by hand." : reason.Trim(), null, now, cancellationToken);
            return subscription;
        }, cancellationToken);
        if (subscription is null) return null;
        events.Publish([new DeliveryChanged(0, subscriptionId, DeliveryStatus.Buffered)]);
        return subscription;
    }

    /// <summary>Success rate and median latency over the last 50 attempts of real deliveries, and those attempts oldest first.</summary>
    public async Task<SubscriptionDeliveryHealth> HealthAsync(int subscriptionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var recent = await db.DeliveryAttempts.AsNoTracking()
            .Join(db.Deliveries.Where(d => d.SubscriptionId == subscriptionId && !d.IsTest), a => a.DeliveryId, d => d.Id, (a, d) => a)
            .OrderByDescending(a => a.Id).Take(RecentResults)
            .Select(a => new DeliveryResultPoint(a.DeliveryId, a.At, a.FailureKind == FailureKind.None, a.ResponseStatus, a.DurationMs, a.FailureKind))
            .ToListAsync(cancellationToken);
        recent.Reverse();
        if (recent.Count == 0)
            return new SubscriptionDeliveryHealth(null, null, recent);
        var durations = recent.Select(r => r.DurationMs).Order().ToList();
        var median = durations.Count % 2 == 1 ? durations[durations.Count / 2] : (durations[durations.Count / 2 - 1] + durations[durations.Count / 2]) / 2.0;
        return new SubscriptionDeliveryHealth((double)recent.Count(r => r.Succeeded) / recent.Count, median, recent);
    }

    private static void Reopen(Delivery delivery, DateTime now)
    {
        if (delivery.Status != DeliveryStatus.Pending)
            delivery.ChainStart = delivery.AttemptCount;
        delivery.Status = DeliveryStatus.Pending;
        delivery.NextAttemptAt = now;
        delivery.CompletedAt = null;
    }

    private static async Task RequireActiveAsync(StudioDbContext db, int subscriptionId, CancellationToken cancellationToken)
    {
        var active = await db.Subscriptions.Where(s => s.Id == subscriptionId).Select(s => (bool?)(s.Active && s.DeletedAt == null)).FirstOrDefaultAsync(cancellationToken);
        if (active != true)
            throw new ConflictException("The subscription is deactivated or deleted: reactivate it first (its new activities are buffered meanwhile).");
    }

    public static string Describe(DeliveryStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>The request is fine but the state does not allow it (409 with the reason).</summary>
public sealed class ConflictException(string message) : Exception(message);
