using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Access;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Tester;

/// <summary>
/// Who sends: whose history it lands in, whether they may send stored credentials anywhere (Editors and Admins,
/// who can already point a subscription anywhere), and the addresses by which they reach the studio.
/// </summary>
public sealed record TesterCaller(string Owner, bool MayUseCredentialsAnywhere, IReadOnlyList<string?> StudioBases)
{
    public static string OwnerOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } key)
            return "key:" + key;
        return "user:" + (user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "anonymous");
    }
}

/// <summary>The request tester: send any request through the guarded sender (or in-process to the studio's own receiver and bins), keep a history, pre-fill.</summary>
public sealed class TesterService(
    IDbContextFactory<StudioDbContext> contexts,
    OutboundSender sender,
    StudioSelfDispatch self,
    ConnectorAuthenticator authenticator,
    SubscriptionService subscriptions,
    SubscriptionTester subscriptionTester,
    KnownSecretsReader knownSecrets,
    SamplePayloadLibrary samples,
    ReceiverUrls receiverUrls,
    StudioWrites writes,
    IOptions<OutboundOptions> options,
    TimeProvider clock)
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int HistoryPerOwner = 100;

    /// <summary>Headers the HTTP stack sets itself; typing them would break the request.</summary>
    private static readonly HashSet<string> TransportHeaders = new(StringComparer.OrdinalIgnoreCase)
        { "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Expect", "TE", "Trailer", "Keep-Alive" };


    public async Task<TesterResult> SendAsync(TesterRequest input, TesterCaller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(caller);
        var (method, url, headers, body, contentType) = Validate(input);
        var ownPath = self.OwnPath(url, caller.StudioBases);
        var secrets = new List<string>();
        foreach (var header in headers.Where(h => SensitiveHeaders.IsSensitive(h.Name)))
            secrets.Add(header.Value);

        if (input.ConnectorId is { } connectorId)
        {
            var credentials = await authenticator.LoadAsync(connectorId, cancellationToken)
                ?? throw new ValidationException("connectorId", $"There is no connector {connectorId} (or its secret is not set).");
            if (!caller.MayUseCredentialsAnywhere && !await ConnectorGoesToAsync(connectorId, url, cancellationToken))
                throw new ValidationException("connectorId",
                    $"Testers may send connector \"{credentials.Connector.Name}\" only to a host its subscriptions already send to; ask an Editor to send it to {url.Host}.");
            var auth = await authenticator.ApplyAsync(credentials, fetchToken: true, cancellationToken: cancellationToken);
            if (auth.Error is not null)
                throw new ValidationException("connectorId", auth.Error);
            headers.AddRange(auth.Headers);
            url = WithQuery(url, auth.Query);
            secrets.AddRange(auth.Secrets);
        }
        if (input.SignAsSubscriptionId is { } subscriptionId)
        {
            var subscription = await LoadSubscriptionAsync(subscriptionId, cancellationToken)
                ?? throw new ValidationException("signAsSubscriptionId", $"There is no subscription {subscriptionId}.");
            if (!caller.MayUseCredentialsAnywhere && !SameHost(subscription.Url, url))
                throw new ValidationException("signAsSubscriptionId",
                    $"Testers may sign as \"{subscription.Name}\" only for its own receiver's host; ask an Editor to sign for {url.Host}.");
            var signing = subscriptions.SigningSecrets(subscription);
            var webhookId = WebhookSignature.NewWebhookId();
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            headers.RemoveAll(h => h.Name is WebhookSignature.IdHeader or WebhookSignature.TimestampHeader or WebhookSignature.SignatureHeader);
            headers.Add(new(WebhookSignature.IdHeader, webhookId));
            headers.Add(new(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            headers.Add(new(WebhookSignature.SignatureHeader, WebhookSignature.Sign(signing, webhookId, timestamp, body ?? [])));
            secrets.AddRange(signing);
        }

        var request = new OutboundRequest(method, url, headers, body, contentType) { Secrets = secrets };
        var result = ownPath is not null
            ? await self.SendAsync(request, ownPath, cancellationToken)
            : options.Value.RequireHttps && url.Scheme != "https"
                ? new SendResult(clock.GetUtcNow().UtcDateTime, request.Summarize(), null, TimeSpan.Zero, FailureKind.InvalidRequest,
                    "Only https:// addresses are allowed (Outbound:RequireHttps).")
                : await sender.SendAsync(request, cancellationToken);

        var historyId = await RecordAsync(input, caller.Owner, result, cancellationToken);
        var response = result.Response;
        return new TesterResult(historyId, result.Succeeded, result.Failure, result.Error, response?.StatusCode, response?.ReasonPhrase,
            (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds), response?.Headers ?? [], response?.Body, response?.Truncated ?? false,
            result.Request, ownPath is not null);
    }

    private static (HttpMethod, Uri, List<HeaderLine>, byte[]?, string?) Validate(TesterRequest input)
    {
        var errors = new Dictionary<string, string[]>();
        var methodName = (input.Method ?? "").Trim().ToUpperInvariant();
        if (!TesterRequest.Methods.Contains(methodName))
            errors["method"] = [$"method is one of {string.Join(", ", TesterRequest.Methods)}."];
        Uri? url = null;
        var urlText = input.Url?.Trim() ?? "";
        if (urlText.Length == 0)
            errors["url"] = ["Enter the URL to send to, e.g. https://api.example.com/orders."];
        else if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            errors["url"] = [$"'{urlText}' is not an absolute http(s) address."];
        else if (urlText.Length > 4000)
            errors["url"] = ["A URL has at most 4,000 characters."];

        var headers = new List<HeaderLine>();
        string? contentType = string.IsNullOrWhiteSpace(input.ContentType) ? null : input.ContentType.Trim();
        for (var i = 0; i < (input.Headers?.Count ?? 0); i++)
        {
            var header = input.Headers![i];
            var name = header.Name?.Trim() ?? "";
            var value = header.Value ?? "";
            if (name.Length == 0 && value.Length == 0) continue;
            if (!HttpTokens.IsToken(name)) errors[$"headers[{i}].name"] = [$"'{name}' is not a header name (letters, digits and - only)."];
            else if (TransportHeaders.Contains(name)) errors[$"headers[{i}].name"] = [$"{name} is set by the sender itself."];
            else if (!HttpTokens.IsSafeValue(value)) errors[$"headers[{i}].value"] = ["A header value cannot contain line breaks."];
            else if (value.Contains(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal))
                errors[$"headers[{i}].value"] = [$"The value of {name} was masked when it was saved; type it again, or use a connector."];
            else if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase)) contentType ??= value.Trim();
            else headers.Add(new(name, value));
        }
        if (url is not null && url.Query.Contains(Uri.EscapeDataString(SensitiveHeaders.MaskPrefix), StringComparison.OrdinalIgnoreCase))
            errors["url"] = ["A query value was masked when it was saved; type it again, or use a connector."];
        if (contentType is not null && !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out _))
            errors["contentType"] = [$"'{contentType}' is not a content type such as application/json."];

        byte[]? body = null;
        if (TesterRequest.HasBody(methodName) && !string.IsNullOrEmpty(input.Body))
        {
            body = Encoding.UTF8.GetBytes(input.Body);
            if (body.Length > MaxBodyBytes) errors["body"] = ["A body has at most 1 MiB."];
            contentType ??= TesterText.IsJson(input.Body) ? "application/json" : "text/plain; charset=utf-8";
        }
        if (body is null) contentType = null;
        if (errors.Count > 0)
            throw new ValidationException(errors);
        return (new HttpMethod(methodName), url!, headers, body, contentType);
    }

    private static Uri WithQuery(Uri url, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0) return url;
        var builder = new StringBuilder(url.GetLeftPart(UriPartial.Path));
        var existing = url.Query.TrimStart('?');
        builder.Append('?').Append(existing);
        foreach (var (name, value) in query)
        {
            if (builder[^1] != '?') builder.Append('&');
            builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return new Uri(builder.ToString());
    }

    /// <summary>
    /// A connector's secret may only go where an Editor already sends it: the host (and port) of a subscription
    /// using it, or its OAuth2 token endpoint. Otherwise a Tester could send it to a server of their own, or to a
    /// bin they can read.
    /// </summary>
    private async Task<bool> ConnectorGoesToAsync(int connectorId, Uri url, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var urls = await db.Subscriptions.AsNoTracking().Where(s => s.ConnectorId == connectorId && s.DeletedAt == null)
            .Select(s => s.Url).ToListAsync(cancellationToken);
        return urls.Any(u => SameHost(u, url));
    }

    private static bool SameHost(string template, Uri url) =>
        Uri.TryCreate(template.Trim(), UriKind.Absolute, out var target)
        && string.Equals(target.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase) && target.Port == url.Port && target.Scheme == url.Scheme;

    private async Task<Subscription?> LoadSubscriptionAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
    }

    // ---- History ----

    /// <summary>Stores what the user typed (not what the connector added), sensitive values masked, and keeps the latest <see cref="HistoryPerOwner"/>.</summary>
    private async Task<long> RecordAsync(TesterRequest input, string owner, SendResult result, CancellationToken cancellationToken)
    {
        var stored = Masked(input);
        // Also whatever connectors and sources declare secret, typed by hand: a header, a query value, a body value.
        var known = await knownSecrets.ReadAsync(cancellationToken);
        stored.Headers = stored.Headers.Select(h => h with { Value = known.Header(h.Name.Trim(), h.Value) }).ToList();
        var question = stored.Url.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
            stored.Url = stored.Url[..question] + known.QueryString(stored.Url[question..]);
        if (stored.Body is { } typed)
            stored.Body = known.Text(typed);
        var entry = new TesterHistoryEntry
        {
            Owner = owner,
            At = result.At,
            Method = stored.Method.ToUpperInvariant(),
            Url = stored.Url.Trim(),
            Headers = JsonSerializer.Serialize(stored.Headers, StudioJson.Options),
            Body = TesterRequest.HasBody(stored.Method.ToUpperInvariant()) ? Cap(stored.Body) : null,
            ContentType = stored.ContentType,
            ConnectorId = stored.ConnectorId,
            SignAsSubscriptionId = stored.SignAsSubscriptionId,
            Status = result.Response?.StatusCode,
            DurationMs = (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            Error = result.Error is { Length: > 2000 } e ? e[..2000] : result.Error,
        };
        await writes.RunAsync(async db =>
        {
            db.TesterHistory.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            var cutoff = await db.TesterHistory.Where(h => h.Owner == owner).OrderByDescending(h => h.Id)
                .Skip(HistoryPerOwner).Select(h => (long?)h.Id).FirstOrDefaultAsync(cancellationToken);
            if (cutoff is { } oldest)
                await db.TesterHistory.Where(h => h.Owner == owner && h.Id <= oldest).ExecuteDeleteAsync(cancellationToken);
        }, cancellationToken);
        return entry.Id;
    }

    private static string? Cap(string? body) => body is { Length: > 64 * 1024 } ? body[..(64 * 1024)] : body;

    /// <summary>The request with hand-typed credentials masked: sensitive headers, and query values whose names say they are secrets.</summary>
    public static TesterRequest Masked(TesterRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var copy = input.Copy();
        copy.Method = (copy.Method ?? "GET").Trim();
        copy.Url = MaskQuery(copy.Url ?? "");
        copy.Headers = copy.Headers.Where(h => !string.IsNullOrWhiteSpace(h.Name))
            .Select(h => SensitiveHeaders.IsSensitive(h.Name.Trim()) && !h.Value.StartsWith(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal)
                ? h with { Value = SensitiveHeaders.Mask(h.Value) } : h).ToList();
        return copy;
    }

    private static readonly string[] SecretWords = ["key", "token", "secret", "password", "passwd", "signature", "sig", "auth"];

    private static string MaskQuery(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0) return url;
        var parts = url[(question + 1)..].Split('&').Select(part =>
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) return part;
            var name = Uri.UnescapeDataString(part[..eq]).ToLowerInvariant();
            return SecretWords.Any(w => name == w || name.Contains(w, StringComparison.Ordinal)) && part.Length > eq + 1
                ? part[..(eq + 1)] + Uri.EscapeDataString(SensitiveHeaders.MaskPrefix) : part;
        });
        return url[..(question + 1)] + string.Join('&', parts);
    }

    public async Task<PagedList<HistoryView>> HistoryAsync(string owner, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.TesterHistory.AsNoTracking().Where(h => h.Owner == owner);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(h => h.Id).Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken);
        return new PagedList<HistoryView>(rows.Select(View).ToList(), total, page.Number, page.Size);
    }

    public async Task<HistoryView?> HistoryEntryAsync(string owner, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.TesterHistory.AsNoTracking().FirstOrDefaultAsync(h => h.Owner == owner && h.Id == id, cancellationToken);
        return row is null ? null : View(row);
    }

    public async Task<int> ClearHistoryAsync(string owner, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TesterHistory.Where(h => h.Owner == owner).ExecuteDeleteAsync(cancellationToken);
    }

    private static HistoryView View(TesterHistoryEntry h) => new(h.Id, h.At, h.Method, h.Url, h.Status, h.DurationMs, h.Error, new TesterRequest
    {
        Method = h.Method, Url = h.Url, Headers = JsonSerializer.Deserialize<List<HeaderLine>>(h.Headers, StudioJson.Options) ?? [],
        Body = h.Body, ContentType = h.ContentType, ConnectorId = h.ConnectorId, SignAsSubscriptionId = h.SignAsSubscriptionId,
    });

    // ---- Pre-filling ----

    public sealed record Choice(long Id, string Label, int? SourceId = null);

    /// <summary>The sources and subscriptions the pre-fill pickers offer.</summary>
    public async Task<(IReadOnlyList<Choice> Sources, IReadOnlyList<Choice> Subscriptions)> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Where(s => s.DeletedAt == null).OrderBy(s => s.Name)
            .Select(s => new Choice(s.Id, s.Name, s.Id)).ToListAsync(cancellationToken);
        var subs = await db.Subscriptions.AsNoTracking().Where(s => s.DeletedAt == null).OrderBy(s => s.Name)
            .Select(s => new Choice(s.Id, s.Name, s.SourceId)).ToListAsync(cancellationToken);
        return (sources, subs);
    }

    /// <summary>The latest items of a scope (all sources when null), for "as this subscription would send for this item".</summary>
    public async Task<IReadOnlyList<Choice>> RecentItemsAsync(int? sourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Items.AsNoTracking().Where(i => sourceId == null || i.SourceId == sourceId)
            .OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id).Take(50)
            .Select(i => new Choice(i.Id, (i.Title ?? i.ExternalId) + " (" + i.ExternalId + ")", i.SourceId)).ToListAsync(cancellationToken);
    }

    /// <summary>A POST of the source's app sample to the source's receiver URL.</summary>
    public async Task<TesterRequest?> ForSourceAsync(int sourceId, string? studioBase, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sourceId && s.DeletedAt == null, cancellationToken);
        if (source is null) return null;
        var sample = samples.For(source.App);
        var text = Encoding.UTF8.GetString(sample.Body);
        return new TesterRequest
        {
            Method = "POST",
            Url = receiverUrls.For(source.Token, studioBase?.TrimEnd('/')),
            ContentType = sample.ContentType,
            Body = sample.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? TesterText.Pretty(text) : text,
        };
    }

    /// <summary>
    /// What the subscription would send for the item, from its Example (secrets masked): the masked credentials and
    /// signature are left out, and the request instead names the connector and the subscription to sign as, which
    /// the send path applies. So no secret ever sits in the form, the history or a saved request.
    /// </summary>
    public async Task<TesterRequest?> ForSubscriptionAsync(int subscriptionId, long? itemId, CancellationToken cancellationToken = default)
    {
        var subscription = await LoadSubscriptionAsync(subscriptionId, cancellationToken);
        if (subscription is null) return null;
        var example = await subscriptionTester.ExampleAsync(subscription, new TestActivity(itemId), cancellationToken);
        var request = example.Request;
        var signatureHeaders = new[] { WebhookSignature.IdHeader, WebhookSignature.TimestampHeader, WebhookSignature.SignatureHeader, "User-Agent" };
        return new TesterRequest
        {
            Method = request.Method,
            Url = WithoutMaskedQuery(request.Url),
            Headers = request.Headers.Where(h => !SensitiveHeaders.IsSensitive(h.Name)
                && !h.Value.Contains(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal)
                && !signatureHeaders.Contains(h.Name, StringComparer.OrdinalIgnoreCase)).ToList(),
            Body = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true ? TesterText.Pretty(request.Body) : request.Body,
            ContentType = request.Body is null ? null : request.ContentType,
            ConnectorId = subscription.ConnectorId,
            SignAsSubscriptionId = subscription.Id,
        };
    }

    private static string WithoutMaskedQuery(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0) return url;
        var kept = url[(question + 1)..].Split('&')
            .Where(p => !Uri.UnescapeDataString(p).Contains(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? url[..question] : url[..(question + 1)] + string.Join('&', kept);
    }
}
