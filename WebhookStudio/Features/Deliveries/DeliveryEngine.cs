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
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>The Hangfire job: one delivery id. Hangfire's own retries are off; <see cref="RetryPolicy"/> is the schedule.</summary>
public sealed class DeliveryJob(DeliveryEngine engine)
{
    [Queue(DeliveryEngine.Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(long deliveryId, CancellationToken cancellationToken) => engine.DeliverAsync(deliveryId, cancellationToken);
}

/// <summary>Sends in flight per subscription. A full subscription's deliveries step aside instead of holding a worker.</summary>
public sealed class DeliveryConcurrency
{
    private readonly ConcurrentDictionary<int, int> inFlight = new();

    public bool TryEnter(int subscriptionId, int limit)
    {
        while (true)
        {
            var current = inFlight.GetOrAdd(subscriptionId, 0);
            if (current >= limit) return false;
            if (inFlight.TryUpdate(subscriptionId, current + 1, current)) return true;
        }
    }

    public void Exit(int subscriptionId) => inFlight.AddOrUpdate(subscriptionId, 0, (_, n) => Math.Max(0, n - 1));

    public int InFlight(int subscriptionId) => inFlight.GetValueOrDefault(subscriptionId);
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
    TimeProvider clock,
    ILogger<DeliveryEngine> logger)
{
    public const string Queue = "deliveries";

    public async Task DeliverAsync(long deliveryId, CancellationToken cancellationToken)
    {
        queue.Started(deliveryId);
        var now = clock.GetUtcNow().UtcDateTime;
        Delivery? delivery;
        Subscription? subscription;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
            // Delivered, failed, cancelled, buffered, a test, or leased by another worker: nothing to do here.
            if (delivery is not { Status: DeliveryStatus.Pending, IsTest: false } || delivery.LeaseUntil > now)
                return;
            // Woken early (a stale job after "Retry now" rescheduled it): the job for its time comes later.
            if (delivery.NextAttemptAt > now + TimeSpan.FromSeconds(1))
                return;
            subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
            if (subscription is null || subscription.DeletedAt is not null)
            {
                await writer.MarkAsync(deliveryId, DeliveryStatus.Cancelled, "The subscription was deleted.", cancellationToken);
                return;
            }
            if (!subscription.Active)
            {
                await writer.MarkAsync(deliveryId, DeliveryStatus.Buffered, null, cancellationToken);
                return;
            }
            // In activity order per item: an earlier one still waiting holds this one back; it enqueues this one when it settles.
            if (subscription.PreserveOrder && delivery.ItemId is { } itemId && await db.Deliveries.AnyAsync(d =>
                    d.SubscriptionId == subscription.Id && d.ItemId == itemId && d.Id < deliveryId && d.Status == DeliveryStatus.Pending && !d.IsTest,
                    cancellationToken))
                return;
        }

        if (!concurrency.TryEnter(subscription.Id, Math.Max(1, options.Value.ConcurrencyPerSubscription)))
        {
            queue.Schedule(deliveryId, now + TimeSpan.FromMilliseconds(200 + Random.Shared.Next(300)));
            return;
        }
        try
        {
            if (!await writer.ClaimAsync(deliveryId, now + outbound.Value.Timeout + options.Value.LeaseMargin, cancellationToken))
                return;
            SendResult result;
            try
            {
                result = await SendAsync(delivery, subscription, cancellationToken);
            }
            catch (Exception e)
            {
                await ReleaseQuietlyAsync(deliveryId);
                if (e is not OperationCanceledException) LogSendCrashed(logger, e, deliveryId);
                throw;
            }

            var (status, next, gone) = Decide(delivery, subscription, result);
            var settled = await writer.SettleAsync(new Settlement(deliveryId, subscription.Id, result, status, next, gone), cancellationToken);
            if (settled.Status == DeliveryStatus.Pending && next is { } at)
                queue.Schedule(deliveryId, at);
            if (settled.Status == DeliveryStatus.Delivered && subscription.ResponseMapping.Count > 0 && delivery.ItemId is { } mappedItem)
                await mapper.ApplyAsync(subscription, mappedItem, result.Response!.Body, cancellationToken);
            if (settled.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed && subscription.PreserveOrder && delivery.ItemId is { } orderedItem)
                await EnqueueNextOfItemAsync(subscription.Id, orderedItem, cancellationToken);
        }
        finally
        {
            concurrency.Exit(subscription.Id);
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

    private async Task<SendResult> SendAsync(Delivery delivery, Subscription subscription, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(delivery, cancellationToken);
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
    private async Task<TemplateModel?> ModelAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.ActivityJson is { } stored)
            return FromStored(stored);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = ActivityNames.Name(delivery.Activity);
        if (delivery.ItemId is { } itemId)
        {
            var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken);
            if (item is null) return null;
            var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == item.SourceId, cancellationToken);
            var change = delivery.ItemChangeId is { } changeId
                ? await db.ItemChanges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken)
                : null;
            return TemplateModel.ForItem(name, change?.At ?? delivery.CreatedAt, item, source, change?.Fields);
        }
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
}
