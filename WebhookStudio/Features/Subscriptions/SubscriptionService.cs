using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>Everything a user sets on a subscription. Create and update (PUT) take the whole of it.</summary>
public sealed record SubscriptionInput
{
    public string? Name { get; init; }
    public string? App { get; init; }
    public int? SourceId { get; init; }
    public Activities Activities { get; init; }
    public ConditionGroup? Condition { get; init; }
    public SubscriptionMethod Method { get; init; } = SubscriptionMethod.Post;
    public string? Url { get; init; }
    public IReadOnlyList<NameValue> QueryParameters { get; init; } = [];
    public IReadOnlyList<NameValue> Headers { get; init; } = [];
    public bool ParametersInHeaders { get; init; }
    public int? ConnectorId { get; init; }
    public BodyFormat BodyFormat { get; init; } = BodyFormat.Default;
    public string? BodyTemplate { get; init; }
    public IReadOnlyList<ResponseMappingRule> ResponseMapping { get; init; } = [];
    public int MaxAttempts { get; init; } = 8;
    public bool PreserveOrder { get; init; }
    public bool Active { get; init; } = true;

    public static SubscriptionInput From(Subscription s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new()
        {
            Name = s.Name, App = s.App, SourceId = s.SourceId, Activities = s.Activities,
            Condition = s.Condition is null ? null : ConditionGroup.Parse(s.Condition), Method = s.Method, Url = s.Url,
            QueryParameters = s.QueryParameters.ToList(), Headers = s.Headers.ToList(), ParametersInHeaders = s.ParametersInHeaders,
            ConnectorId = s.ConnectorId, BodyFormat = s.BodyFormat, BodyTemplate = s.BodyTemplate, ResponseMapping = s.ResponseMapping.ToList(),
            MaxAttempts = s.MaxAttempts, PreserveOrder = s.PreserveOrder, Active = s.Active,
        };
    }
}

/// <summary>Filters of the subscriptions list; <see cref="Deleted"/> lists the deleted ones instead.</summary>
public sealed record SubscriptionQuery(string? App = null, Activities? Activity = null, bool? Active = null, int? SourceId = null, bool Deleted = false);

/// <summary>The last delivery of a subscription and its success rate, for the list.</summary>
public sealed record DeliveryStats(DeliveryStatus? LastStatus, DateTime? LastAt, string? LastError, double? SuccessRate, int Buffered);

public sealed record SubscriptionSummary(Subscription Subscription, string? SourceName, string? ConnectorName, DeliveryStats Stats);

/// <summary>A subscription with its plain signing secret: answered only on create, duplicate and rotation.</summary>
public sealed record SubscriptionWithSecret(Subscription Subscription, string SigningSecret);

/// <summary>Everything the Subscriptions page and the API do to subscriptions.</summary>
public sealed class SubscriptionService(
    IDbContextFactory<StudioDbContext> contexts,
    OutboundSecrets secrets,
    TemplateVariables variables,
    IOptions<OutboundOptions> options,
    AddressGuard guard,
    StudioSelfDispatch self,
    TimeProvider clock)
{
    /// <summary>How long a rotated-out signing secret keeps signing beside the new one.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public async Task<SubscriptionWithSecret> CreateAsync(SubscriptionInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSignature.NewSecret();
        var subscription = new Subscription { Name = "", App = "", Url = "", SigningSecretProtected = secrets.ProtectSigning(secret), CreatedAt = now };
        await ApplyAsync(db, subscription, input, now, cancellationToken);
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return new SubscriptionWithSecret(subscription, secret);
    }

    /// <returns>Null when there is no such subscription (deleted ones must be restored first).</returns>
    public async Task<Subscription?> UpdateAsync(int id, SubscriptionInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (subscription is null) return null;
        await ApplyAsync(db, subscription, input, clock.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return subscription;
    }

    /// <summary>An unsaved subscription from the form, for an Example before saving (with a throwaway signing secret).</summary>
    public async Task<Subscription> DraftAsync(SubscriptionInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var draft = new Subscription { Name = "", App = "", Url = "", SigningSecretProtected = secrets.ProtectSigning(WebhookSignature.NewSecret()), CreatedAt = now };
        await ApplyAsync(db, draft, input, now, cancellationToken);
        return draft;
    }

    /// <summary>Checks an input without saving it: the form can show every problem next to its field.</summary>
    public async Task<IDictionary<string, string[]>> ValidateAsync(SubscriptionInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            await ApplyAsync(db, new Subscription { Name = "", App = "", Url = "", SigningSecretProtected = "" }, input, clock.GetUtcNow().UtcDateTime, cancellationToken);
            return new Dictionary<string, string[]>();
        }
        catch (ValidationException invalid)
        {
            return invalid.Errors;
        }
    }

    public async Task<(IReadOnlyList<SubscriptionSummary> Items, int Total)> ListAsync(SubscriptionQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscriptions = db.Subscriptions.AsNoTracking().Where(s => query.Deleted ? s.DeletedAt != null : s.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(query.App)) subscriptions = subscriptions.Where(s => s.App == query.App.Trim());
        if (query.Activity is { } activity) subscriptions = subscriptions.Where(s => (s.Activities & activity) != 0);
        if (query.Active is { } active) subscriptions = subscriptions.Where(s => s.Active == active);
        if (query.SourceId is { } sourceId) subscriptions = subscriptions.Where(s => s.SourceId == sourceId || s.SourceId == null);
        var total = await subscriptions.CountAsync(cancellationToken);
        var list = await subscriptions.OrderBy(s => s.Name).ThenBy(s => s.Id).Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken);
        return (await SummarizeAsync(db, list, cancellationToken), total);
    }

    /// <summary>A subscription, deleted or not (the Deleted list shows them too).</summary>
    public async Task<SubscriptionSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return subscription is null ? null : (await SummarizeAsync(db, [subscription], cancellationToken))[0];
    }

    private static async Task<IReadOnlyList<SubscriptionSummary>> SummarizeAsync(StudioDbContext db, List<Subscription> list, CancellationToken cancellationToken)
    {
        var ids = list.Select(s => s.Id).ToList();
        var sourceIds = list.Where(s => s.SourceId != null).Select(s => s.SourceId!.Value).Distinct().ToList();
        var connectorIds = list.Where(s => s.ConnectorId != null).Select(s => s.ConnectorId!.Value).Distinct().ToList();
        var sources = await db.Sources.Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var connectors = await db.Connectors.Where(c => connectorIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var counts = await db.Deliveries.Where(d => ids.Contains(d.SubscriptionId) && !d.IsTest)
            .GroupBy(d => new { d.SubscriptionId, d.Status }).Select(g => new { g.Key.SubscriptionId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var lastIds = await db.Deliveries.Where(d => ids.Contains(d.SubscriptionId) && d.Status != DeliveryStatus.Pending && d.Status != DeliveryStatus.Buffered)
            .GroupBy(d => d.SubscriptionId).Select(g => g.Max(d => d.Id)).ToListAsync(cancellationToken);
        var last = await db.Deliveries.Where(d => lastIds.Contains(d.Id)).ToDictionaryAsync(d => d.SubscriptionId, cancellationToken);
        return list.Select(s =>
        {
            int Count(DeliveryStatus status) => counts.Where(c => c.SubscriptionId == s.Id && c.Status == status).Sum(c => c.Count);
            var finished = Count(DeliveryStatus.Delivered) + Count(DeliveryStatus.Failed);
            var lastDelivery = last.GetValueOrDefault(s.Id);
            var stats = new DeliveryStats(lastDelivery?.Status, lastDelivery?.CompletedAt ?? lastDelivery?.CreatedAt, lastDelivery?.LastError,
                finished == 0 ? null : (double)Count(DeliveryStatus.Delivered) / finished, Count(DeliveryStatus.Buffered));
            return new SubscriptionSummary(s, s.SourceId is { } sid ? sources.GetValueOrDefault(sid) : null,
                s.ConnectorId is { } cid ? connectors.GetValueOrDefault(cid) : null, stats);
        }).ToList();
    }

    /// <summary>Soft delete: it stops sending and moves to the Deleted list, from where it can be restored.</summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Subscriptions.Where(s => s.Id == id && s.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, now).SetProperty(x => x.UpdatedAt, now), cancellationToken) > 0;
    }

    public async Task<Subscription?> RestoreAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt != null, cancellationToken);
        if (subscription is null) return null;
        subscription.DeletedAt = null;
        subscription.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return subscription;
    }

    /// <summary>A copy named "Copy of …", inactive until its owner checks it, with its own signing secret.</summary>
    public async Task<SubscriptionWithSecret?> DuplicateAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var original = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (original is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSignature.NewSecret();
        var name = "Copy of " + original.Name;
        var copy = new Subscription
        {
            Name = name.Length > 200 ? name[..200] : name, App = original.App, SourceId = original.SourceId, Activities = original.Activities,
            Condition = original.Condition, Method = original.Method, Url = original.Url, QueryParameters = original.QueryParameters.ToList(),
            Headers = original.Headers.ToList(), ParametersInHeaders = original.ParametersInHeaders, ConnectorId = original.ConnectorId,
            BodyFormat = original.BodyFormat, BodyTemplate = original.BodyTemplate, ResponseMapping = original.ResponseMapping.ToList(),
            MaxAttempts = original.MaxAttempts, PreserveOrder = original.PreserveOrder, Active = false,
            DeactivationReason = "A copy starts inactive.", DeactivatedAt = now,
            SigningSecretProtected = secrets.ProtectSigning(secret), CreatedAt = now, UpdatedAt = now,
        };
        db.Subscriptions.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        return new SubscriptionWithSecret(copy, secret);
    }

    /// <summary>A new signing secret; the old one keeps signing beside it for <see cref="RotationOverlap"/> so receivers can switch.</summary>
    public async Task<SubscriptionWithSecret?> RotateSecretAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (subscription is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSignature.NewSecret();
        subscription.PreviousSigningSecretProtected = subscription.SigningSecretProtected;
        subscription.PreviousSigningSecretExpiresAt = now + RotationOverlap;
        subscription.SigningSecretProtected = secrets.ProtectSigning(secret);
        subscription.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new SubscriptionWithSecret(subscription, secret);
    }

    /// <summary>Why the sender would always refuse a URL whose host is a literal address, or null (names are judged when sent).</summary>
    private string? RefusedLiteral(Uri uri)
    {
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) || guard.Refuse(address) is not { } why || self.IsOwnDoor(uri))
            return null;
        return $"{uri.Host} is {why}: the studio never sends there, so this subscription could not deliver. {AddressGuard.AllowedNetworksRule}";
    }

    /// <summary>
    /// A warning, not an error, when the URL's host name resolves (now) to an address the sender refuses: names can
    /// change, so the sender judges them again at every send.
    /// </summary>
    public async Task<string?> UrlWarningAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.HostNameType != UriHostNameType.Dns || url!.Contains("{{", StringComparison.Ordinal) || self.IsOwnDoor(uri))
            return null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            foreach (var address in await System.Net.Dns.GetHostAddressesAsync(uri.IdnHost, timeout.Token))
                if (guard.Refuse(address) is { } why)
                    return $"{uri.Host} resolves to {address}, {why}: deliveries will be refused while it does. {AddressGuard.AllowedNetworksRule}";
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A name that does not resolve now is reported by the sender when it sends.
        }
        return null;
    }

    /// <summary>The secrets that sign now: the current one, and the previous one during its overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var list = new List<string> { secrets.UnprotectSigning(subscription.SigningSecretProtected) };
        if (subscription.PreviousSigningSecretProtected is { } previous && subscription.PreviousSigningSecretExpiresAt > clock.GetUtcNow().UtcDateTime)
            list.Add(secrets.UnprotectSigning(previous));
        return list;
    }

    private async Task ApplyAsync(StudioDbContext db, Subscription s, SubscriptionInput input, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = errors.TryGetValue(field, out var m) ? [.. m, message] : [message];

        // Left empty, the app label is read from the URL's host ("hubspot" for https://api.hubspot.com/…).
        var app = input.App?.Trim() is { Length: > 0 } typed ? typed : SubscriptionLabels.AppFromUrl(input.Url);
        if (string.IsNullOrEmpty(app)) Error("app", "Give an app label to group the subscription by, e.g. \"crm\": the URL's host names none.");
        else if (app.Length > 100) Error("app", "An app label has at most 100 characters.");
        if (input.Activities == Activities.None || (input.Activities & ~(Activities.ItemCreated | Activities.ItemUpdated | Activities.ItemDeleted | Activities.PayloadReceived)) != 0)
            Error("events", "Choose at least one activity: item.created, item.updated, item.deleted or payload.received.");
        if (!Enum.IsDefined(input.Method)) Error("method", "method is POST, PUT, PATCH or GET.");
        if (!Enum.IsDefined(input.BodyFormat)) Error("bodyFormat", "bodyFormat is default, json, xml, text or form.");
        if (input.MaxAttempts is < 1 or > 50) Error("maxAttempts", "Allow between 1 and 50 attempts.");

        string? sourceName = null;
        if (input.SourceId is { } sourceId)
        {
            sourceName = await db.Sources.Where(x => x.Id == sourceId && x.DeletedAt == null).Select(x => x.Name).FirstOrDefaultAsync(cancellationToken);
            if (sourceName is null) Error("sourceId", $"There is no source {sourceId}.");
        }
        if (input.ConnectorId is { } connectorId && !await db.Connectors.AnyAsync(c => c.Id == connectorId, cancellationToken))
            Error("connectorId", $"There is no connector {connectorId}.");
        if (input.Condition is { } condition)
            foreach (var e in FilterValidator.Validate(condition))
                Error($"condition.{e.Location}", e.Message);

        var scope = await variables.ForScopeAsync(errors.ContainsKey("sourceId") ? -1 : input.SourceId, cancellationToken);
        async Task Template(string field, string template, TemplateFormat format)
        {
            if (TemplateRenderer.SyntaxError(template) is { } syntax) { Error(field, syntax); return; }
            foreach (var problem in TemplateVariables.Unresolved(template, scope)) Error(field, problem);
            if (!errors.ContainsKey(field) && await TemplateRenderer.CheckAsync(template, format) is { } broken) Error(field, broken);
        }

        var url = input.Url?.Trim() ?? "";
        if (url.Length == 0) Error("url", "Enter the URL to send to, e.g. https://crm.example.com/hooks.");
        else if (url.Length > 4000) Error("url", "A URL has at most 4000 characters.");
        else
        {
            await Template("url", url, TemplateFormat.Url);
            if (!errors.ContainsKey("url"))
            {
                var probe = await TemplateRenderer.RenderAsync(url, TemplateFormat.Url, TemplateVariables.Sample(null, ActivityNames.ItemUpdated, now));
                if (!Uri.TryCreate(probe.Output?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                    Error("url", "Enter an absolute http:// or https:// address, e.g. https://crm.example.com/hooks.");
                else if (options.Value.RequireHttps && uri.Scheme != "https")
                    Error("url", "Only https:// addresses are allowed here (setting Outbound:RequireHttps).");
                else if (RefusedLiteral(uri) is { } refused)
                    Error("url", refused);
            }
        }

        for (var i = 0; i < input.QueryParameters.Count; i++)
        {
            var p = input.QueryParameters[i];
            if (string.IsNullOrWhiteSpace(p?.Name)) Error($"queryParameters[{i}].name", "Enter the parameter name.");
            else if (input.Method == SubscriptionMethod.Get && input.ParametersInHeaders && !HttpTokens.IsToken(p.Name.Trim()))
                Error($"queryParameters[{i}].name", $"'{p.Name}' cannot be a header name (parameters are sent as headers): use letters, digits and -.");
            if (p is not null) await Template($"queryParameters[{i}].value", p.Value ?? "", TemplateFormat.Plain);
        }
        for (var i = 0; i < input.Headers.Count; i++)
        {
            var h = input.Headers[i];
            var name = h?.Name?.Trim() ?? "";
            if (!HttpTokens.IsToken(name)) Error($"headers[{i}].name", $"'{name}' is not a valid header name: use letters, digits and - (e.g. X-Source).");
            else if (HttpTokens.Reserved.Contains(name)) Error($"headers[{i}].name", $"{name} is set by the studio itself.");
            if (h is not null) await Template($"headers[{i}].value", h.Value ?? "", TemplateFormat.Plain);
        }

        var template = string.IsNullOrWhiteSpace(input.BodyTemplate) ? null : input.BodyTemplate;
        if (input.BodyFormat != BodyFormat.Default)
        {
            if (input.Method == SubscriptionMethod.Get) Error("bodyTemplate", "A GET request has no body: choose the default body, or POST, PUT or PATCH.");
            else if (template is null) Error("bodyTemplate", $"Write the {ApiEnum.Name(input.BodyFormat).ToUpperInvariant()} template, or choose the default body.");
            else await Template("bodyTemplate", template, RequestBuilder.FormatOf(input.BodyFormat));
        }

        for (var i = 0; i < input.ResponseMapping.Count; i++)
        {
            var rule = input.ResponseMapping[i];
            if (string.IsNullOrWhiteSpace(rule?.Path) || !IsJsonPath(rule.Path.Trim()))
                Error($"responseMapping[{i}].path", $"'{rule?.Path}' is not a JSONPath into the response, e.g. $.promocode.");
            if (string.IsNullOrWhiteSpace(rule?.Field) || !ItemFieldPath.IsValid(rule.Field))
                Error($"responseMapping[{i}].field", "Name the item field to write, e.g. promo_code or customer.promo_code.");
        }
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var host = Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed.Host : url;
        var name2 = input.Name?.Trim();
        s.Name = string.IsNullOrEmpty(name2) ? $"{app} → {host}" : name2.Length > 200 ? name2[..200] : name2;
        s.App = app!;
        s.SourceId = input.SourceId;
        s.Activities = input.Activities;
        s.Condition = input.Condition?.ToJson();
        s.Method = input.Method;
        s.Url = url;
        s.QueryParameters = input.QueryParameters.Select(p => new NameValue(p.Name.Trim(), p.Value ?? "")).ToList();
        s.Headers = input.Headers.Select(h => new NameValue(h.Name.Trim(), h.Value ?? "")).ToList();
        s.ParametersInHeaders = input.ParametersInHeaders;
        s.ConnectorId = input.ConnectorId;
        s.BodyFormat = input.BodyFormat;
        s.BodyTemplate = template;
        s.ResponseMapping = input.ResponseMapping.Select(r => new ResponseMappingRule(r.Path.Trim(), ItemFieldPath.Normalize(r.Field))).ToList();
        s.MaxAttempts = input.MaxAttempts;
        s.PreserveOrder = input.PreserveOrder;
        if (input.Active != s.Active || s.Id == 0)
        {
            s.Active = input.Active;
            s.DeactivationReason = input.Active ? null : "Turned off by a user.";
            s.DeactivatedAt = input.Active ? null : now;
        }
        s.UpdatedAt = now;
    }

    private static bool IsJsonPath(string path)
    {
        if (!path.StartsWith('$')) return false;
        try { new JObject().SelectTokens(path).ToList(); return true; }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or IndexOutOfRangeException or OverflowException or ArgumentException) { return false; }
    }
}
