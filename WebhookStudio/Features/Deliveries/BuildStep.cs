using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>How a build treats the connector's credentials.</summary>
public enum Credentials
{
    /// <summary>An Example: an OAuth2 token is shown as a stand-in, not fetched.</summary>
    Shown,

    /// <summary>A send: an OAuth2 token is fetched (from the cache when it has one).</summary>
    Fetched,

    /// <summary>A send after a 401: a new OAuth2 token is fetched.</summary>
    Refreshed,
}

/// <summary>
/// The request built for one activity, or what stopped it. A credential that could not be had (<see cref="AuthError"/>)
/// leaves the request built without it, so a Test can still show what would have gone out.
/// </summary>
public sealed record Built(BuiltRequest Request, string? AuthError, bool UsesOAuth2);

/// <summary>
/// Build: the activity as templates see it, rendered into the subscription's request with the connector's credentials
/// and the Standard Webhooks signature. Deliveries, the Test button and the Example build here.
/// </summary>
public sealed class BuildStep(
    IDbContextFactory<StudioDbContext> contexts,
    SubscriptionService subscriptions,
    ConnectorAuthenticator authenticator,
    IOptions<OutboundOptions> outbound,
    TimeProvider clock)
{
    public async Task<Built> BuildAsync(Subscription subscription, TemplateModel model, string webhookId, Credentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var loaded = await authenticator.LoadAsync(subscription.ConnectorId, cancellationToken);
        var auth = await authenticator.ApplyAsync(loaded, fetchToken: credentials != Credentials.Shown, refresh: credentials == Credentials.Refreshed, cancellationToken);
        var request = await RequestBuilder.BuildAsync(subscription, model, auth with { Error = null }, subscriptions.SigningSecrets(subscription), webhookId,
            clock.GetUtcNow(), outbound.Value.RequireHttps);
        return new Built(request, auth.Error, loaded?.Connector.Kind == ConnectorKind.Oauth2ClientCredentials);
    }

    /// <summary>
    /// A delivery's activity as templates see it. Item activities send the item as it is now with the change that
    /// triggered them: what the studio stores is the current state and its history, not a copy per change.
    /// </summary>
    /// <returns>Null when the item or payload no longer exists (erased or purged).</returns>
    public async Task<TemplateModel?> ModelAsync(Due due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var delivery = due.Delivery;
        if (delivery.ActivityJson is { } stored)
            return FromStored(stored);
        var name = ActivityNames.Name(delivery.Activity);
        if (delivery.ItemId is not null)
        {
            if (delivery.Item is not { } item) return null;
            var change = delivery.ItemChange;
            return TemplateModel.ForItem(name, change?.At ?? delivery.CreatedAt, item, due.Source, change?.Fields);
        }
        if (delivery.PayloadId is not { } payloadId)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
}
