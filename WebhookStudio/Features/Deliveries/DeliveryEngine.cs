using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>The Hangfire job: one delivery id. Hangfire's own retries are off; <see cref="RetryPolicy"/> is the schedule.</summary>
public sealed class DeliveryJob(DeliveryEngine engine)
{
    [Queue(DeliveryEngine.Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(long deliveryId, CancellationToken cancellationToken) => engine.DeliverAsync(deliveryId, cancellationToken);

    /// <summary>Deliveries committed together (see <see cref="DeliveryQueue.Enqueue(IEnumerable{long})"/>), each as <see cref="RunAsync"/> would.</summary>
    [Queue(DeliveryEngine.Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAllAsync(long[] deliveryIds, CancellationToken cancellationToken) => engine.DeliverAllAsync(deliveryIds, cancellationToken);
}

/// <summary>
/// Sends in flight per subscription, and the deliveries waiting for a slot. A full subscription's deliveries wait
/// here in memory instead of holding a worker or going back to Hangfire (whose delayed jobs are polled every few
/// seconds): the send that frees a slot hands it straight to the next one waiting. The database still holds
/// them as pending, so after a restart the reconciler finds them again.
/// </summary>
public sealed class DeliveryConcurrency
{
    private sealed class Line
    {
        public int InFlight;
        public readonly Queue<long> Waiting = new();
        public readonly HashSet<long> WaitingIds = [];
    }

    private readonly ConcurrentDictionary<int, Line> lines = new();

    /// <summary>
    /// Takes the subscription's free slots for the deliveries, each slot with a run of them (at most
    /// <paramref name="perSlot"/>, in the given order) to send one after the other; the deliveries left over wait in the
    /// subscription's line, behind those already waiting.
    /// </summary>
    /// <returns>The runs, one per slot taken; empty when every slot was taken already.</returns>
    public List<long[]> EnterOrWait(int subscriptionId, int limit, IReadOnlyList<long> deliveryIds, int perSlot = 1)
    {
        var line = lines.GetOrAdd(subscriptionId, _ => new Line());
        lock (line)
        {
            var slots = Math.Clamp(limit - line.InFlight, 0, deliveryIds.Count);
            var runs = new List<long[]>(slots);
            var taken = Math.Min(deliveryIds.Count, slots * Math.Max(1, perSlot));
            for (int run = 0, start = 0; run < slots; run++)
            {
                // Spread evenly: five deliveries on two slots go as runs of three and two.
                var length = taken / slots + (run < taken % slots ? 1 : 0);
                runs.Add([.. deliveryIds.Skip(start).Take(length)]);
                start += length;
            }
            line.InFlight += slots;
            foreach (var id in deliveryIds.Skip(taken))
                if (line.WaitingIds.Add(id))
                    line.Waiting.Enqueue(id);
            return runs;
        }
    }

    /// <summary>
    /// Hands the slot to the next deliveries waiting (at most <paramref name="max"/>, in line order), whose ids are
    /// returned: the caller sends them one after the other. With nobody waiting the slot is given back (empty result).
    /// </summary>
    public IReadOnlyList<long> ExitOrHandOver(int subscriptionId, int max = 1)
    {
        if (!lines.TryGetValue(subscriptionId, out var line))
            return [];
        lock (line)
        {
            var next = new List<long>(Math.Min(max, line.Waiting.Count));
            while (next.Count < max && line.Waiting.TryDequeue(out var id))
            {
                line.WaitingIds.Remove(id);
                next.Add(id);
            }
            if (next.Count == 0)
                line.InFlight = Math.Max(0, line.InFlight - 1);
            return next;
        }
    }

    public int InFlight(int subscriptionId) => lines.TryGetValue(subscriptionId, out var line) ? Volatile.Read(ref line.InFlight) : 0;

    /// <summary>The deliveries waiting in every line now, for the reconciler to leave alone.</summary>
    public HashSet<long> WaitingNow()
    {
        var all = new HashSet<long>();
        foreach (var line in lines.Values)
            lock (line) all.UnionWith(line.WaitingIds);
        return all;
    }
}

/// <summary>
/// Sends one delivery once: checks its state, takes its lease, renders, signs and sends it with the shared
/// sender, and hands the attempt to the <see cref="DeliveryWriter"/>, which decides the new state in the
/// same commit as the attempt. Safe to run twice for one id, from two workers or two instances: the lease
/// lets one of them send, and a settled delivery is left alone.
/// </summary>
public sealed partial class DeliveryEngine(
    IDbContextFactory<StudioDbContext> contexts,
    DeliveryWriter writer,
    DeliveryQueue queue,
    DeliveryConcurrency concurrency,
    SubscriptionService subscriptions,
    ConnectorAuthenticator authenticator,
    OutboundSender sender,
    StudioSelfDispatch self,
    ResponseMapper mapper,
    IOptions<DeliveryOptions> options,
    IOptions<OutboundOptions> outbound,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DeliveryEngine> logger)
{
    public const string Queue = "deliveries";

    /// <summary>
    /// The longest run a slot sends: what a freed slot takes from its line at once, and at most what a job gives each
    /// free slot. A run is loaded in one query, claimed in one commit and sent one after the other, as EF Core's work
    /// per query would otherwise be most of the engine's CPU.
    /// </summary>
    private const int Handful = 25;

    /// <summary>A delivery that is due, with what sending it needs, loaded in one go.</summary>
    private sealed record Due(Delivery Delivery, Subscription Subscription, Source? Source);

    public Task DeliverAsync(long deliveryId, CancellationToken cancellationToken) => DeliverAllAsync([deliveryId], cancellationToken);

    /// <summary>
    /// Several deliveries (a job of ids committed together): they are spread over their subscription's free slots, each
    /// slot sending its run one after the other; the others wait in the subscription's line, where freed slots take
    /// them up. Only those with a slot are loaded now; the others are loaded when their turn comes (they may have
    /// changed by then), not twice.
    /// </summary>
    public async Task DeliverAllAsync(IReadOnlyList<long> deliveryIds, CancellationToken cancellationToken)
    {
        foreach (var id in deliveryIds)
            queue.Started(id);
        var limit = Math.Max(1, options.Value.ConcurrencyPerSubscription);
        List<(int SubscriptionId, long[] Run)> slots;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var pending = await db.Deliveries.AsNoTracking().Where(d => deliveryIds.Contains(d.Id) && d.Status == DeliveryStatus.Pending && !d.IsTest)
                .OrderBy(d => d.Id).Select(d => new { d.Id, d.SubscriptionId }).ToListAsync(cancellationToken);
            slots = [.. pending.GroupBy(d => d.SubscriptionId).SelectMany(subscription =>
                concurrency.EnterOrWait(subscription.Key, limit, [.. subscription.Select(d => d.Id)], Handful).Select(run => (subscription.Key, run)))];
        }
        if (slots.Count == 0)
            return;

        Dictionary<long, Due> due;
        try
        {
            due = (await LoadDueAsync([.. slots.SelectMany(slot => slot.Run)], cancellationToken)).ToDictionary(d => d.Delivery.Id);
        }
        catch
        {
            foreach (var (subscriptionId, _) in slots)
                PassSlotOn(subscriptionId);
            throw;
        }
        await Task.WhenAll(slots.Select(async slot =>
        {
            try
            {
                // Those not due after all (settled, leased elsewhere, held back for order) are left out.
                await SendInTurnAsync([.. slot.Run.Where(due.ContainsKey).Select(id => due[id])], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One slot's trouble must not stop the others of the job; its deliveries stay pending for the reconciler.
                LogSendCrashed(logger, e, slot.Run[0]);
            }
            finally
            {
                PassSlotOn(slot.SubscriptionId);
            }
        }));
    }

    /// <returns>
    /// The deliveries to send now, in id order; the others have nothing to do (or were settled here, e.g. cancelled).
    /// The items and changes come with the deliveries, the subscriptions and sources in one query each.
    /// </returns>
    private async Task<List<Due>> LoadDueAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deliveries = await db.Deliveries.AsNoTracking().Include(d => d.Item).Include(d => d.ItemChange)
            .Where(d => deliveryIds.Contains(d.Id)).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        // Delivered, failed, cancelled, buffered, a test, or leased by another worker: nothing to do here.
        // Woken early (a stale job after "Retry now" rescheduled it): the job for its time comes later.
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

    /// <summary>The slot goes to the next deliveries waiting in the subscription's line, if any, or back.</summary>
    private void PassSlotOn(int subscriptionId)
    {
        if (concurrency.ExitOrHandOver(subscriptionId, Handful) is { Count: > 0 } next)
            _ = Task.Run(() => SendWaitingAsync(subscriptionId, next));
    }

    /// <summary>Runs deliveries from the line with the slot handed over, a handful at a time, until the line is empty.</summary>
    private async Task SendWaitingAsync(int subscriptionId, IReadOnlyList<long> handful)
    {
        var stopping = lifetime.ApplicationStopping;
        for (var next = handful; next.Count > 0; next = concurrency.ExitOrHandOver(subscriptionId, Handful))
        {
            try
            {
                // Loaded again: they may have been sent, retried or cancelled while they waited.
                var due = await LoadDueAsync(next, stopping);
                await SendInTurnAsync([.. due.Where(d => d.Subscription.Id == subscriptionId)], stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                // Still pending in the database: the reconciler sends them later. The slot goes on to the rest of the line.
                LogSendCrashed(logger, e, next[0]);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends deliveries one after the other, under leases claimed for all of them in one commit. A send does not wait
    /// for the commit of the attempt before it, which is on its way to the writer meanwhile: a slot's pace is its
    /// receiver's, not the database's. After a failure it does wait, as the failure may have deactivated the
    /// subscription (which buffers the rest). One that cannot be claimed (taken by another worker, settled meanwhile)
    /// is skipped; one that fails to send stays pending for the reconciler.
    /// </summary>
    private async Task SendInTurnAsync(IReadOnlyList<Due> dues, CancellationToken cancellationToken)
    {
        if (dues.Count == 0)
            return;
        var (line, until) = await ClaimAsync(dues, held: null, cancellationToken);
        Task<Settled?> recorded = Task.FromResult<Settled?>(null);
        try
        {
            while (line.TryDequeue(out var due))
            {
                if (clock.GetUtcNow().UtcDateTime + outbound.Value.Timeout > until)
                {
                    // The lease may run out during this send: it is renewed for this one and the rest first.
                    (line, until) = await ClaimAsync([due, .. line], held: until, cancellationToken);
                    if (!line.TryDequeue(out due))
                        break;
                }
                SendResult result;
                try
                {
                    result = await SendAsync(due, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Still pending in the database (its lease released): the reconciler sends it later.
                    LogSendCrashed(logger, e, due.Delivery.Id);
                    continue;
                }
                recorded = RecordAsync(due, result, recorded, cancellationToken);
                // Deactivated by this attempt: the rest were buffered in the same commit, and are not sent.
                if (!result.Succeeded && await recorded is { SubscriptionDeactivated: true })
                    break;
            }
        }
        finally
        {
            await recorded;
        }
    }

    /// <summary>Claims the deliveries' leases in one commit (renewing <paramref name="held"/>), with a lease long enough for one send.</summary>
    /// <returns>The deliveries claimed, in order, and until when.</returns>
    private async Task<(Queue<Due> Claimed, DateTime Until)> ClaimAsync(IReadOnlyList<Due> dues, DateTime? held, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow().UtcDateTime + outbound.Value.Timeout + options.Value.LeaseMargin;
        var granted = await writer.ClaimAsync([.. dues.Select(d => d.Delivery.Id)], until, held, cancellationToken);
        return (new Queue<Due>(dues.Where((_, i) => granted[i])), until);
    }

    /// <summary>Sends a claimed delivery; when the send itself crashes, its lease is released before the exception goes on.</summary>
    private async Task<SendResult> SendAsync(Due due, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(due, due.Delivery, due.Subscription, cancellationToken);
        }
        catch
        {
            await ReleaseQuietlyAsync(due.Delivery.Id);
            throw;
        }
    }

    /// <summary>
    /// Hands the attempt to the writer and, once it is committed, does what the outcome asks for: schedule the retry,
    /// map the response onto the item, release the item's next delivery in order. That follow-up runs after the one of
    /// <paramref name="before"/>, the slot's previous attempt, so it happens in sending order.
    /// </summary>
    /// <returns>What the writer did; null when recording failed (the delivery is found again by the reconciler).</returns>
    private async Task<Settled?> RecordAsync(Due due, SendResult result, Task<Settled?> before, CancellationToken cancellationToken)
    {
        var (delivery, subscription, _) = due;
        try
        {
            var (status, retryAt, gone) = Decide(delivery, subscription, result);
            var settled = await writer.SettleAsync(new Settlement(delivery.Id, subscription.Id, result, status, retryAt, gone), cancellationToken);
            await before;
            if (settled.Status == DeliveryStatus.Pending && retryAt is { } at)
                queue.Schedule(delivery.Id, at);
            if (settled.Status == DeliveryStatus.Delivered && subscription.ResponseMapping.Count > 0 && delivery.ItemId is { } mappedItem)
                await mapper.ApplyAsync(subscription, mappedItem, result.Response!.Body, new MappingCause(delivery.Id), cancellationToken);
            if (settled.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed && subscription.PreserveOrder && delivery.ItemId is { } orderedItem)
                await EnqueueNextOfItemAsync(subscription.Id, orderedItem, cancellationToken);
            return settled;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecordFailed(logger, e, delivery.Id);
            return null;
        }
    }

    private (DeliveryStatus Status, DateTime? Next, bool Gone) Decide(Delivery delivery, Subscription subscription, SendResult result)
    {
        if (result.Succeeded)
            return (DeliveryStatus.Delivered, null, false);
        if (result.Response?.StatusCode == 410)
            return (DeliveryStatus.Failed, null, true);
        var attempts = delivery.AttemptsInChain + 1;
        if (attempts >= subscription.MaxAttempts)
            return (DeliveryStatus.Failed, null, false);
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var delay = RetryPolicy.Delay(settings.Schedule, attempts, RetryPolicy.RetryAfter(result.Response, now), settings.Jitter, Random.Shared.NextDouble() * 2 - 1);
        return (DeliveryStatus.Pending, now.UtcDateTime + delay, false);
    }

    private async Task EnqueueNextOfItemAsync(int subscriptionId, long itemId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var next = await db.Deliveries.Where(d => d.SubscriptionId == subscriptionId && d.ItemId == itemId && d.Status == DeliveryStatus.Pending && !d.IsTest)
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.NextAttemptAt }).FirstOrDefaultAsync(cancellationToken);
        if (next is not null)
            queue.Schedule(next.Id, next.NextAttemptAt ?? clock.GetUtcNow().UtcDateTime);
    }

    private async Task ReleaseQuietlyAsync(long deliveryId)
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

    private async Task<SendResult> SendAsync(Due due, Delivery delivery, Subscription subscription, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(due, cancellationToken);
        if (model is null)
            return Refused("The activity's item or payload no longer exists (erased or purged), so there is nothing to send.");
        var credentials = await authenticator.LoadAsync(subscription.ConnectorId, cancellationToken);
        var auth = await authenticator.ApplyAsync(credentials, fetchToken: true, cancellationToken: cancellationToken);
        var built = await BuildAsync(subscription, model, auth, delivery.WebhookId);
        if (built.Request is not { } request)
            return Refused($"The request could not be built: {built.ErrorText}");
        var result = await self.SendAsync(sender, request, cancellationToken);
        // An OAuth2 token may be revoked before it expires: fetch a new one and try once more (one attempt record).
        if (result.Response?.StatusCode == 401 && credentials?.Connector.Kind == ConnectorKind.Oauth2ClientCredentials)
        {
            auth = await authenticator.ApplyAsync(credentials, fetchToken: true, refresh: true, cancellationToken);
            if ((await BuildAsync(subscription, model, auth, delivery.WebhookId)).Request is { } again)
                result = await self.SendAsync(sender, again, cancellationToken);
        }
        return result;
    }

    private Task<BuiltRequest> BuildAsync(Subscription subscription, TemplateModel model, AppliedAuth auth, string webhookId) =>
        RequestBuilder.BuildAsync(subscription, model, auth, subscriptions.SigningSecrets(subscription), webhookId, clock.GetUtcNow(), outbound.Value.RequireHttps);

    private SendResult Refused(string error) =>
        new(clock.GetUtcNow().UtcDateTime, new RequestSummary("", "", [], null, null), null, TimeSpan.Zero, FailureKind.InvalidRequest, error);

    /// <summary>
    /// The activity as templates see it. Item activities send the item as it is now with the change that
    /// triggered them: what the studio stores is the current state and its history, not a copy per change.
    /// </summary>
    private async Task<TemplateModel?> ModelAsync(Due due, CancellationToken cancellationToken)
    {
        var delivery = due.Delivery;
        if (delivery.ActivityJson is { } stored)
            return FromStored(stored);
        var name = ActivityNames.Name(delivery.Activity);
        if (delivery.ItemId is not null)
        {
            // Erased since (the item is gone): nothing to send.
            if (delivery.Item is not { } item) return null;
            var change = delivery.ItemChange;
            return TemplateModel.ForItem(name, change?.At ?? delivery.CreatedAt, item, due.Source, change?.Fields);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (delivery.PayloadId is { } payloadId)
        {
            var payload = await db.Payloads.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payloadId, cancellationToken);
            if (payload is null) return null;
            var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == payload.SourceId, cancellationToken);
            var read = PayloadDocument.Read(payload.ContentType, payload.Body);
            return new TemplateModel
            {
                Event = name,
                OccurredAt = payload.ReceivedAt,
                Source = source is null ? null : TemplateModel.SourceNode(source),
                Payload = new JsonObject
                {
                    ["id"] = payload.Id,
                    ["receivedAt"] = TemplateModel.Iso(payload.ReceivedAt),
                    ["contentType"] = payload.ContentType,
                    ["data"] = read.IsSuccess ? JsonNode.Parse(read.Value.ToString(Newtonsoft.Json.Formatting.None)) : null,
                },
            };
        }
        return null;
    }

    /// <summary>Reads back the form <see cref="TemplateRenderer.AsJson"/> writes (tests by hand, latest-state replays).</summary>
    public static TemplateModel FromStored(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? [];
        var activity = root["event"] as JsonObject;
        var occurred = activity?["occurredAt"]?.GetValue<string>() is { } text
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : DateTime.UtcNow;
        static JsonObject? NonEmpty(JsonNode? node) => node is JsonObject { Count: > 0 } o ? (JsonObject)o.DeepClone() : null;
        return new TemplateModel
        {
            Event = activity?["name"]?.GetValue<string>() ?? ActivityNames.ItemUpdated,
            OccurredAt = occurred,
            Item = NonEmpty(root["item"]),
            Source = NonEmpty(root["source"]),
            Changes = root["changes"] is JsonArray changes ? (JsonArray)changes.DeepClone() : [],
            Payload = NonEmpty(root["payload"]),
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} failed before its attempt could be recorded; the reconciler takes it up again")]
    private static partial void LogSendCrashed(ILogger logger, Exception ex, long deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The attempt of delivery {DeliveryId} could not be recorded, or what follows from it failed; the reconciler takes it up again if it is still pending")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, long deliveryId);
}
