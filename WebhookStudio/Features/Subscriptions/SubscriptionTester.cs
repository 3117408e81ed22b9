using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>
/// Which activity an Example or Test uses: a real item (<see cref="ItemId"/>), or an activity written by hand
/// (<see cref="ActivityJson"/>, shaped like the default body: <c>{"event", "item": {"data": …}, "changes", "source"}</c>,
/// or just the item's data). Neither: the latest item of the scope, or a sample when it has none.
/// </summary>
public sealed record TestActivity(long? ItemId = null, string? ActivityJson = null, string? Event = null);

/// <summary>Exactly what would be sent, secrets masked.</summary>
public sealed record ExampleResult(RequestSummary Request, string Activity, bool FromSample, long? ItemId);

public sealed record TestResult(long DeliveryId, ExampleResult Example, SendResult Result, MappingOutcome Mapping);

/// <summary>The Example and Test buttons (and their API endpoints): render a subscription for one activity, and send it now.</summary>
public sealed class SubscriptionTester(
    IDbContextFactory<StudioDbContext> contexts,
    BuildStep build,
    SendStep send,
    ResponseMapper mapper,
    DeliveryStore store,
    TimeProvider clock)
{
    /// <returns>Null when there is no such subscription.</returns>
    public async Task<ExampleResult?> ExampleAsync(int subscriptionId, TestActivity activity, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadAsync(subscriptionId, cancellationToken);
        return subscription is null ? null : await ExampleAsync(subscription, activity, cancellationToken);
    }

    /// <summary>For a saved subscription or a draft from the form (<see cref="SubscriptionService.DraftAsync"/>).</summary>
    public async Task<ExampleResult> ExampleAsync(Subscription subscription, TestActivity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var (model, itemId) = await ModelAsync(subscription, activity, cancellationToken);
        var built = await build.BuildAsync(subscription, model, WebhookSignature.NewWebhookId(), Credentials.Shown, cancellationToken);
        return new ExampleResult(Valid(built.Request).Summarize(), model.Event, model.IsSample, itemId);
    }

    /// <summary>
    /// Sends now through the real sender and records the test as a delivery (marked as a test) with its attempts.
    /// The response mapping is only previewed unless <paramref name="applyMapping"/> asks for it (an Editor's choice);
    /// the change it writes names <paramref name="actor"/>, who pressed Test.
    /// </summary>
    /// <returns>Null when there is no such subscription.</returns>
    public async Task<TestResult?> TestAsync(int subscriptionId, TestActivity activity, bool applyMapping = false, string? actor = null,
                                             CancellationToken cancellationToken = default)
    {
        var subscription = await LoadAsync(subscriptionId, cancellationToken);
        if (subscription is null) return null;
        var (model, itemId) = await ModelAsync(subscription, activity, cancellationToken);
        var webhookId = WebhookSignature.NewWebhookId();
        var sent = await send.SendAsync(subscription, model, webhookId, cancellationToken);
        var request = Valid(sent.Built);
        var result = sent.Last;

        var deliveryId = await RecordAsync(subscription, model, itemId, activity.ActivityJson is not null, webhookId, sent.Attempts, cancellationToken);
        var mapping = !result.Succeeded || itemId is not { } mappedItem || model.IsSample
            ? MappingOutcome.Nothing
            : applyMapping
                ? await mapper.ApplyAsync(subscription, mappedItem, result.Response!.Body, new MappingCause(deliveryId, actor ?? "someone"), cancellationToken)
                : await mapper.PreviewAsync(subscription, mappedItem, result.Response!.Body, cancellationToken);
        return new TestResult(deliveryId, new ExampleResult(request.Summarize(), model.Event, model.IsSample, itemId), result, mapping);
    }

    /// <summary>Writes a test's answer onto its item through the subscription's response mapping, when an Editor asks after seeing the preview.</summary>
    /// <returns>Null when there is no such subscription.</returns>
    public async Task<MappingOutcome?> ApplyMappingAsync(int subscriptionId, long itemId, string responseBody, MappingCause cause, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadAsync(subscriptionId, cancellationToken);
        return subscription is null ? null : await mapper.ApplyAsync(subscription, itemId, responseBody, cause, cancellationToken);
    }

    /// <summary>The request, or the problems per field that stopped it, for the form to show.</summary>
    private static OutboundRequest Valid(BuiltRequest built) => built.Request ?? throw new ValidationException(built.Errors.ToDictionary());

    private async Task<Subscription?> LoadAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
    }

    private async Task<(TemplateModel Model, long? ItemId)> ModelAsync(Subscription subscription, TestActivity activity, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        string? eventName = null;
        if (activity.Event is { } requested)
        {
            if (!ActivityNames.TryParse(requested, out var parsed))
                throw new ValidationException("event", "event is item.created, item.updated, item.deleted or payload.received.");
            eventName = ActivityNames.Name(parsed);
        }
        var defaultEvent = eventName ?? ActivityNames.Names(subscription.Activities).FirstOrDefault() ?? ActivityNames.ItemUpdated;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = subscription.SourceId is { } sid ? await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, cancellationToken) : null;
        if (activity.ActivityJson is { } json)
            return (HandWritten(json, defaultEvent, now, source), null);

        Item? item;
        if (activity.ItemId is { } itemId)
        {
            item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken);
            if (item is null)
                throw new ValidationException("itemId", $"There is no item {itemId}.");
            if (subscription.SourceId is { } scope && item.SourceId != scope)
                throw new ValidationException("itemId", $"Item {itemId} is not from this subscription's source.");
        }
        else
        {
            item = await db.Items.AsNoTracking().Where(i => subscription.SourceId == null || i.SourceId == subscription.SourceId)
                .OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (item is null)
            return (TemplateVariables.Sample(source, defaultEvent, now), null);

        source ??= await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == item.SourceId, cancellationToken);
        var change = await db.ItemChanges.AsNoTracking().Where(c => c.ItemId == item.Id).OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        var name = eventName ?? (change is not null && (subscription.Activities & ActivityNames.For(change.Kind)) != 0 ? ActivityNames.Name(ActivityNames.For(change.Kind)) : defaultEvent);
        return (TemplateModel.ForItem(name, change?.At ?? now, item, source, change?.Fields), item.Id);
    }

    private static TemplateModel HandWritten(string json, string defaultEvent, DateTime now, Source? source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ValidationException("activity", $"The activity is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {Sources.Inbound.JsonErrorText.Describe(e)}.");
        }
        if (node is not JsonObject root)
            throw new ValidationException("activity", "The activity is a JSON object, e.g. {\"event\": \"item.updated\", \"item\": {\"data\": {…}}}.");

        var structured = root.ContainsKey("event") || root.ContainsKey("item") || root.ContainsKey("changes") || root.ContainsKey("source") || root.ContainsKey("payload");
        if (!structured)
            root = new JsonObject { ["item"] = new JsonObject { ["data"] = root.DeepClone() } };
        var item = root["item"] as JsonObject ?? new JsonObject();
        if (!item.ContainsKey("data"))
            item = new JsonObject { ["data"] = item.DeepClone() };
        item.TryAdd("id", 0);
        item.TryAdd("externalId", "");
        item.TryAdd("title", null);
        var name = root["event"] is JsonValue ev && ev.GetValueKind() == JsonValueKind.String && ActivityNames.TryParse(ev.GetValue<string>(), out var parsed)
            ? ActivityNames.Name(parsed) : defaultEvent;
        return new TemplateModel
        {
            Event = name,
            OccurredAt = now,
            Item = (JsonObject)item.DeepClone(),
            Source = root["source"] as JsonObject is { } s ? (JsonObject)s.DeepClone() : source is null ? new JsonObject() : TemplateModel.SourceNode(source),
            Changes = root["changes"] as JsonArray is { } c ? (JsonArray)c.DeepClone() : [],
            Payload = root["payload"] as JsonObject is { } p ? (JsonObject)p.DeepClone() : null,
        };
    }

    private async Task<long> RecordAsync(Subscription subscription, TemplateModel model, long? itemId, bool handWritten, string webhookId,
                                         IReadOnlyList<SendResult> results, CancellationToken cancellationToken)
    {
        if (subscription.Id == 0)
            return 0;
        var last = results[^1];
        var delivery = new Delivery
        {
            SubscriptionId = subscription.Id,
            Activity = ActivityNames.TryParse(model.Event, out var a) ? a : Activities.ItemUpdated,
            ItemId = itemId,
            ActivityJson = handWritten || model.IsSample ? TemplateRenderer.AsJson(model).ToJsonString() : null,
            WebhookId = webhookId,
            Status = last.Succeeded ? DeliveryStatus.Delivered : DeliveryStatus.Failed,
            IsTest = true,
            AttemptCount = results.Count,
            LastError = last.Error,
            LastFailure = last.Failure,
            LastStatusCode = last.Response?.StatusCode,
            LastAttemptAt = last.At,
            CreatedAt = results[0].At,
            CompletedAt = clock.GetUtcNow().UtcDateTime,
        };
        return await store.AddSettledAsync(delivery, results, cancellationToken);
    }
}
