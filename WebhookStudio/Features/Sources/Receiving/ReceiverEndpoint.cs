using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>
/// <c>POST /hooks/{token}</c>: the contract a third-party sender sees. Answers 202 only once the payload is
/// on disk; every refusal is a ProblemDetails that says what to fix. The rules live in <see cref="PayloadReceiver"/>.
/// </summary>
public static class ReceiverEndpoint
{
    public sealed record Accepted(long PayloadId);

    public static IEndpointConventionBuilder MapReceiver(this IEndpointRouteBuilder app) =>
        app.MapPost("/hooks/{token}", ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Receiver")
            .WithSummary("Receive a webhook payload for a source")
            .Produces<Accepted>(StatusCodes.Status202Accepted)
            .Produces<string>(StatusCodes.Status200OK, "text/plain", "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            // Run straight from routing: senders carry no cookie or key and see no page, so authentication, the
            // first-run redirect, authorization, antiforgery and the error pages would only cost time on every request.
            // Every answer below is already a ProblemDetails.
            .ShortCircuit();

    /// <summary>
    /// <c>GET /hooks/{token}</c>: an app's check of a new URL. Meta's (hub.mode=subscribe, hub.verify_token,
    /// hub.challenge) is answered with the challenge when the token is the source's verify token; Dropbox's
    /// (challenge) is echoed, as its documentation asks, once the source verifies Dropbox.
    /// </summary>
    public static IEndpointConventionBuilder MapReceiverSubscriptionCheck(this IEndpointRouteBuilder app) =>
        app.MapGet("/hooks/{token}", ConfirmSubscriptionAsync)
            .AllowAnonymous()
            .WithTags("Receiver")
            .WithSummary("Answer Meta's or Dropbox's verification request for a new webhook URL")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ShortCircuit();

    private static async Task<IResult> ConfirmSubscriptionAsync(string token, HttpContext context, ReceiverDirectory directory)
    {
        var profile = await directory.FindAsync(token, context.RequestAborted);
        if (profile is null)
            return TypedResults.Problem(title: "Unknown receiver URL", detail: "No source has this receiver URL.", statusCode: StatusCodes.Status404NotFound);
        var verification = profile.Verification;
        var query = context.Request.Query;
        if (verification.Kind == Inbound.VerificationKind.Dropbox && query.ContainsKey("challenge"))
        {
            // Dropbox: echo the challenge as plain text that no browser may sniff into HTML.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.Text(query["challenge"].ToString(), "text/plain");
        }
        if (verification.Kind != Inbound.VerificationKind.Meta)
            return TypedResults.Problem(title: "Send webhooks with POST",
                detail: "This receiver URL accepts POST requests. A GET is answered only for Meta's and Dropbox's verification requests, once the source verifies that app.",
                statusCode: StatusCodes.Status405MethodNotAllowed);

        if (query["hub.mode"] != "subscribe")
            return TypedResults.Problem(title: "Not a verification request", detail: "hub.mode must be subscribe.", statusCode: StatusCodes.Status403Forbidden);
        var sent = query["hub.verify_token"].ToString();
        if (string.IsNullOrEmpty(verification.VerifyToken) || !Inbound.Schemes.SignatureChecks.SameText(sent, verification.VerifyToken))
            return TypedResults.Problem(title: "Verify token does not match",
                detail: "hub.verify_token is not the verify token saved in this source's verification settings.", statusCode: StatusCodes.Status403Forbidden);
        return TypedResults.Text(query["hub.challenge"].ToString(), "text/plain");
    }

    private static async Task<IResult> ReceiveAsync(string token, HttpContext context, PayloadReceiver receiver, ReceiverUrls urls)
    {
        var request = context.Request;
        var inbound = new InboundRequest(request.ContentType, request.ContentLength, request.Body, HeadersOf(request),
            context.Connection.RemoteIpAddress?.ToString(), request.Method, PublicUrl(token, request, urls));
        var outcome = await receiver.ReceiveAsync(token, inbound, context.RequestAborted);
        if (outcome.RetryAfterSeconds is { } retryAfter)
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (outcome.Reply is { } reply)
        {
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
                context.Response.Headers[name] = value;
            return TypedResults.Text(reply.Body, reply.ContentType, System.Text.Encoding.UTF8, StatusCodes.Status200OK);
        }
        return outcome.IsAccepted
            ? (IResult)TypedResults.Json(new Accepted(outcome.PayloadId!.Value), statusCode: StatusCodes.Status202Accepted)
            : TypedResults.Problem(title: outcome.Title, detail: outcome.Detail, statusCode: outcome.Status);
    }

    /// <summary>
    /// The URL the sender called, as signatures over the URL (Twilio, Square, Trello, HubSpot) cover it:
    /// <c>App:PublicBaseUrl</c> when set, else this request's scheme and host as a reverse proxy forwarded them.
    /// Trusting X-Forwarded-* here is safe: a forged value only changes what a valid signature must cover.
    /// </summary>
    internal static string PublicUrl(string token, HttpRequest request, ReceiverUrls urls)
    {
        var scheme = FirstValue(request.Headers["X-Forwarded-Proto"]) ?? request.Scheme;
        var host = FirstValue(request.Headers["X-Forwarded-Host"]) ?? request.Host.Value;
        return urls.For(token, $"{scheme}://{host}{request.PathBase}") + request.QueryString.Value;
    }

    private static string? FirstValue(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 0 ? null : values[0]?.Split(',')[0].Trim() is { Length: > 0 } first ? first : null;

    private static Dictionary<string, string> HeadersOf(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
            headers[name] = values.ToString();
        return headers;
    }
}

/// <summary>The optional per-source limit (setting <c>Receiver:RateLimitPerMinute</c>, off by default).</summary>
public sealed class ReceiverRateLimiter(IOptions<ReceiverOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<int>? limiter = options.Value.RateLimitPerMinute <= 0
        ? null
        : PartitionedRateLimiter.Create<int, int>(sourceId => RateLimitPartition.GetFixedWindowLimiter(sourceId, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = options.Value.RateLimitPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    /// <summary>Null when there is no limit.</summary>
    public RateLimitLease? Acquire(int sourceId) => limiter?.AttemptAcquire(sourceId);

    public void Dispose() => limiter?.Dispose();
}
