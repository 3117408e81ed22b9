using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Features.Outbound;

/// <summary>
/// Lets the request tester reach the studio's own receiver (<c>/hooks/…</c>) and request bins (<c>/bins/…</c>)
/// although the sender refuses loopback and private addresses. Such a request never goes over the network: it is
/// handed in-process to the anonymous endpoint registered under one of those prefixes, exactly as routing would.
/// So this opens two public, anonymous doors of the studio itself and nothing else — no other loopback port, no
/// other path of the studio (the API, pages, /jobs), and no other host, whatever the Host header claims.
/// </summary>
public sealed class StudioSelfDispatch(IServer server, EndpointDataSource endpoints, IServiceScopeFactory scopes, IOptions<AppOptions> app, IOptions<OutboundOptions> outbound, TimeProvider clock)
{
    /// <summary>The studio's public doors the tester may always reach.</summary>
    public static readonly IReadOnlyList<string> OpenPrefixes = ["/hooks/", "/bins/"];

    /// <summary>
    /// The path of <paramref name="url"/> on the studio when it is one of the studio's own addresses (the configured
    /// public one, or the address the caller reached the studio by) under an open prefix; otherwise null.
    /// </summary>
    public string? OwnPath(Uri url, IEnumerable<string?> studioBases)
    {
        ArgumentNullException.ThrowIfNull(url);
        foreach (var text in studioBases.Append(app.Value.PublicBaseUrl))
        {
            if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var baseUrl))
                continue;
            if (!string.Equals(baseUrl.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(baseUrl.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase)
                || baseUrl.Port != url.Port)
                continue;
            var basePath = baseUrl.AbsolutePath.TrimEnd('/');
            var path = url.AbsolutePath;
            if (!path.StartsWith(basePath, StringComparison.Ordinal))
                continue;
            var own = path[basePath.Length..];
            if (OpenPrefixes.Any(p => own.StartsWith(p, StringComparison.Ordinal) && own.Length > p.Length))
                return own;
        }
        return null;
    }

    /// <summary>True when a delivery to <paramref name="url"/> is answered in-process by the studio's own receiver or bin.</summary>
    public bool IsOwnDoor(Uri url) => OwnPath(url, server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []) is not null;

    /// <summary>
    /// For deliveries and the Test button: a subscription pointed at one of the studio's own bins (or receivers)
    /// is answered in-process, as the tester's requests are; anything else goes through the guarded sender.
    /// The studio's addresses here are the ones it listens on and the configured public one.
    /// </summary>
    public Task<SendResult> SendAsync(OutboundSender sender, OutboundRequest request, CancellationToken cancellationToken = default) =>
        OwnPath(request.Url, server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []) is { } path
            ? SendAsync(request, path, cancellationToken)
            : sender.SendAsync(request, cancellationToken);

    /// <summary>Runs the request through the studio's own endpoint for <paramref name="path"/> and answers like the sender does.</summary>
    public async Task<SendResult> SendAsync(OutboundRequest request, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var at = clock.GetUtcNow().UtcDateTime;
        var watch = Stopwatch.StartNew();
        var (endpoint, values, methodAllowed) = Match(path, request.Method.Method);
        if (endpoint is null)
        {
            var status = methodAllowed ? 404 : 405;
            return Finish(request, at, watch, new ReceivedResponse(status, methodAllowed ? "Not Found" : "Method Not Allowed", [],
                methodAllowed ? "" : $"{path} does not accept {request.Method.Method}.", false));
        }

        await using var scope = scopes.CreateAsyncScope();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(outbound.Value.Timeout);
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = timeout.Token };
        var http = context.Request;
        http.Method = request.Method.Method;
        http.Scheme = request.Url.Scheme;
        http.Host = HostString.FromUriComponent(request.Url);
        http.Path = path;
        http.QueryString = new QueryString(request.Url.Query.Length > 1 ? request.Url.Query : "");
        http.Headers.UserAgent = OutboundSender.UserAgent;
        foreach (var header in request.Headers)
            http.Headers.Append(header.Name, header.Value);
        var body = request.Body is not null && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head ? request.Body : [];
        if (request.ContentType is not null && body.Length > 0)
            http.ContentType = request.ContentType;
        http.ContentLength = body.Length;
        http.Body = new MemoryStream(body, writable: false);
        foreach (var (name, value) in values)
            http.RouteValues[name] = value;
        context.SetEndpoint(endpoint);
        using var answer = new MemoryStream();
        context.Response.Body = answer;

        try
        {
            await endpoint.RequestDelegate!(context);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            watch.Stop();
            return new SendResult(at, request.Summarize(), null, watch.Elapsed, FailureKind.Timeout,
                $"Timeout: the studio's own {path} did not answer within {outbound.Value.Timeout.TotalSeconds:0} s.");
        }

        var cap = outbound.Value.MaxResponseBytes;
        var bytes = answer.ToArray();
        var headers = context.Response.Headers.SelectMany(h => h.Value.Select(v => new HeaderLine(h.Key, v ?? ""))).ToList();
        var status2 = context.Response.StatusCode;
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, cap));
        return Finish(request, at, watch, new ReceivedResponse(status2, ReasonPhrases.GetReasonPhrase(status2), headers, text, bytes.Length > cap));
    }

    private static SendResult Finish(OutboundRequest request, DateTime at, Stopwatch watch, ReceivedResponse response)
    {
        watch.Stop();
        var (failure, error) = OutboundSender.Judge(response);
        return new SendResult(at, request.Summarize(), response, watch.Elapsed, failure, error);
    }

    /// <summary>
    /// Only anonymous endpoints whose route starts with an open prefix are candidates: a page or API route under
    /// the same prefix (they require a signed-in user) can never be reached this way.
    /// </summary>
    private (Endpoint? Endpoint, RouteValueDictionary Values, bool MethodAllowed) Match(string path, string method)
    {
        var methodAllowed = true;
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>().OrderBy(e => e.Order))
        {
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (!OpenPrefixes.Any(p => raw.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
                || endpoint.RequestDelegate is null)
                continue;
            var values = new RouteValueDictionary();
            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []);
            if (!matcher.TryMatch(path, values))
                continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            if (methods is { Count: > 0 } && !methods.Contains(method, StringComparer.OrdinalIgnoreCase))
            {
                methodAllowed = false;
                continue;
            }
            return (endpoint, values, true);
        }
        return (null, [], methodAllowed);
    }
}
