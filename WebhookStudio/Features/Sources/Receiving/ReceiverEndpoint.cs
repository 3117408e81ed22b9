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
            .Produces(StatusCodes.Status204NoContent)
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
    /// <c>GET</c> and <c>HEAD /hooks/{token}</c>: the checks of apps that confirm a URL that way (Meta, Dropbox, Okta,
    /// Mailchimp, Trello, Microsoft Graph), answered by the same receiver; other requests are told to POST.
    /// </summary>
    public static IEndpointConventionBuilder MapReceiverChecks(this IEndpointRouteBuilder app) =>
        app.MapMethods("/hooks/{token}", [HttpMethods.Get, HttpMethods.Head], ReceiveAsync)
            .AllowAnonymous()
            .WithTags("Receiver")
            .WithSummary("Answer an app's check of a new receiver URL (Meta, Dropbox, Okta, Mailchimp, Trello, Microsoft Graph)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain", "application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ShortCircuit();

    private static async Task<IResult> ReceiveAsync(string token, HttpContext context, PayloadReceiver receiver, ReceiverUrls urls)
    {
        var request = context.Request;
        var inbound = new InboundRequest(request.ContentType, request.ContentLength, request.Body, HeadersOf(request),
            context.Connection.RemoteIpAddress?.ToString(), request.Method, PublicUrl(token, request, urls),
            request.Query.Count == 0 ? null : request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal));
        var outcome = await receiver.ReceiveAsync(token, inbound, context.RequestAborted);
        if (outcome.RetryAfterSeconds is { } retryAfter)
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (outcome.Handshake is { } answer)
        {
            foreach (var (name, value) in answer.Headers)
                context.Response.Headers[name] = value;
            return answer.ContentType is null
                ? TypedResults.StatusCode(answer.Status)
                : TypedResults.Text(answer.Body, answer.ContentType, System.Text.Encoding.UTF8, answer.Status);
        }
        if (outcome.IsAccepted)
            return outcome.EventAnswerStatus switch
            {
                null => TypedResults.Json(new Accepted(outcome.PayloadId!.Value), statusCode: StatusCodes.Status202Accepted),
                StatusCodes.Status204NoContent => TypedResults.NoContent(),
                { } status => TypedResults.Text("", "text/plain", System.Text.Encoding.UTF8, status),
            };
        return TypedResults.Problem(title: outcome.Title, detail: outcome.Detail, statusCode: outcome.Status);
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
