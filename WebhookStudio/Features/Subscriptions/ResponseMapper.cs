using System.Text;
using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>An item field a response mapping writes: dotted names (<c>promo_code</c>, <c>customer.promo_code</c>), relative to the item's data.</summary>
public static class ItemFieldPath
{
    public static string Normalize(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var trimmed = field.Trim();
        if (trimmed.StartsWith("$.", StringComparison.Ordinal)) trimmed = trimmed[2..];
        if (trimmed.StartsWith("item.data.", StringComparison.Ordinal)) trimmed = trimmed["item.data.".Length..];
        return trimmed;
    }

    public static bool IsValid(string field)
    {
        var normalized = Normalize(field);
        return normalized.Length is > 0 and <= 200
            && normalized.Split('.').All(s => s.Length > 0 && s.IndexOfAny(['[', ']', '*', '$', ' ']) < 0);
    }
}

/// <summary>What a response mapping did: the fields written, the rules that found nothing, and the change recorded.</summary>
/// <param name="Preview">True when nothing was written: <see cref="Written"/> lists what the mapping would write.</param>
public sealed record MappingOutcome(IReadOnlyList<string> Written, IReadOnlyList<string> Problems, long? ChangeId, bool Preview = false)
{
    public static readonly MappingOutcome Nothing = new([], [], null);
}

/// <summary>Which answer a response mapping writes: the delivery's, and for a test who asked for it to be written.</summary>
public sealed record MappingCause(long DeliveryId, string? Actor = null);

/// <summary>
/// Writes values from a receiver's answer onto the item (e.g. <c>$.promocode</c> → <c>promo_code</c>) and records
/// it as an item change marked with the subscription, so later templates see it and the history says where
/// it came from. Loop rule: see <see cref="SubscriptionMatcher"/> — such a change never triggers the
/// subscription that wrote it, nor any subscription that has a response mapping of its own.
/// </summary>
public sealed class ResponseMapper(IDbContextFactory<StudioDbContext> contexts, StudioWrites writes, EventHub<StudioEvent> events,
                                   DeliveryFanOut fanOut, TimeProvider clock)
{
    public Task<MappingOutcome> ApplyAsync(Subscription subscription, long itemId, string responseBody, MappingCause cause, CancellationToken cancellationToken = default) =>
        MapAsync(subscription, itemId, responseBody, cause, cancellationToken);

    /// <summary>What <see cref="ApplyAsync"/> would write, changing nothing.</summary>
    public Task<MappingOutcome> PreviewAsync(Subscription subscription, long itemId, string responseBody, CancellationToken cancellationToken = default) =>
        MapAsync(subscription, itemId, responseBody, cause: null, cancellationToken);

    /// <param name="cause">Null for a preview, which writes nothing.</param>
    private async Task<MappingOutcome> MapAsync(Subscription subscription, long itemId, string responseBody, MappingCause? cause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var apply = cause is not null;
        if (subscription.ResponseMapping.Count == 0)
            return MappingOutcome.Nothing;
        var parsed = JsonBody.Parse(Encoding.UTF8.GetBytes(responseBody ?? ""));
        if (!parsed.IsSuccess)
            return new MappingOutcome([], [$"The response is not JSON, so nothing was written to the item ({parsed.Error})."], null);
        var response = parsed.Value;

        if (!apply)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return (await MapOntoItemAsync(db, subscription, itemId, response, cause: null, cancellationToken)).Outcome;
        }
        var mapped = await writes.RunAsync(db => MapOntoItemAsync(db, subscription, itemId, response, cause, cancellationToken), cancellationToken);
        mapped.Outbox?.Dispatch();
        if (mapped.Event is { } written)
            events.Publish(written);
        return mapped.Outcome;
    }

    /// <summary>An outcome, and once written, the deliveries to dispatch and the event to announce after the commit.</summary>
    private sealed record Mapped(MappingOutcome Outcome, DeliveryFanOut.Outbox? Outbox = null, StudioEvent? Event = null);

    private async Task<Mapped> MapOntoItemAsync(StudioDbContext db, Subscription subscription, long itemId, JToken response, MappingCause? cause, CancellationToken cancellationToken)
    {
        var apply = cause is not null;
        var item = await db.Items.FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken);
        if (item is null)
            return new Mapped(new MappingOutcome([], [$"Item #{itemId} no longer exists."], null, !apply));
        var old = Read(item.Data);
        var data = old.DeepClone();
        if (data is not JObject root)
            return new Mapped(new MappingOutcome([], ["The item's data is not a JSON object, so fields cannot be added to it."], null));

        var written = new List<string>();
        var problems = new List<string>();
        foreach (var rule in subscription.ResponseMapping)
        {
            JToken? value;
            try { value = response.SelectToken(rule.Path); }
            catch (JsonException e) { problems.Add($"{rule.Path}: {e.Message}"); continue; }
            if (value is null) { problems.Add($"{rule.Path} is not in the response."); continue; }
            if (Set(root, rule.Field, value.DeepClone()) is { } problem) { problems.Add(problem); continue; }
            written.Add(rule.Field);
        }

        var fields = JsonDiff.Diff(old, data);
        if (fields.Count == 0 || cause is null)
            return new Mapped(new MappingOutcome(written, problems, null, !apply));
        var now = clock.GetUtcNow().UtcDateTime;
        item.Data = data.ToString(Formatting.None);
        item.UpdatedAt = now;
        item.Version++;
        var change = new ItemChange
        {
            ItemId = item.Id, Kind = ChangeKind.Updated, Fields = PayloadProcessor.FieldsJson(fields), At = now,
            SubscriptionId = subscription.Id, DeliveryId = cause.DeliveryId, Actor = cause.Actor,
            Note = $"From the response of subscription #{subscription.Id} ({subscription.Name}) to "
                + (cause.Actor is null ? $"delivery #{cause.DeliveryId}" : $"test delivery #{cause.DeliveryId}, sent by {cause.Actor}"),
        };
        db.ItemChanges.Add(change);
        // Subscriptions without a mapping of their own learn about the new values (see SubscriptionMatcher's loop rule).
        var outbox = await fanOut.AddAsync(db, [], [new DeliveryFanOut.ItemActivity(change, item, item.SourceId)], cancellationToken);
        // Saved here for the change's id; committed, dispatched and announced by the caller.
        await db.SaveChangesAsync(cancellationToken);
        return new Mapped(new MappingOutcome(written, problems, change.Id), outbox,
            new StudioEvent(StudioEventKind.ItemUpdated, item.SourceId, ItemId: item.Id, ChangeId: change.Id));
    }

    private static string? Set(JObject root, string field, JToken value)
    {
        var parts = field.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            switch (current[part])
            {
                case JObject next:
                    current = next;
                    break;
                case null or { Type: JTokenType.Null }:
                    var created = new JObject();
                    current[part] = created;
                    current = created;
                    break;
                default:
                    return $"{field}: '{part}' holds a value, not an object, so it cannot hold fields.";
            }
        }
        current[parts[^1]] = value;
        return null;
    }

    private static JToken Read(string json) => JsonBody.ReadStored(json);
}
