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

    private static async Task<IResult> ReceiveAsync(string token, HttpContext context, PayloadReceiver receiver)
    {
        var request = context.Request;
        var inbound = new InboundRequest(request.ContentType, request.ContentLength, request.Body, HeadersOf(request),
            context.Connection.RemoteIpAddress?.ToString());
        var outcome = await receiver.ReceiveAsync(token, inbound, context.RequestAborted);
        if (outcome.RetryAfterSeconds is { } retryAfter)
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return outcome.IsAccepted
            ? (IResult)TypedResults.Json(new Accepted(outcome.PayloadId!.Value), statusCode: StatusCodes.Status202Accepted)
            : TypedResults.Problem(title: outcome.Title, detail: outcome.Detail, statusCode: outcome.Status);
    }

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
