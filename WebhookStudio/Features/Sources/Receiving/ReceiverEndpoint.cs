using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>
/// <c>POST /hooks/{token}</c>: the contract a third-party sender sees. Answers 202 only once the payload is
/// on disk; every refusal is a ProblemDetails that says what to fix.
/// </summary>
public static class ReceiverEndpoint
{
    /// <summary>The length of the stored content type column.</summary>
    public const int MaxContentTypeLength = 200;

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
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> ReceiveAsync(
        string token,
        HttpContext context,
        ReceiverDirectory directory,
        PayloadWriter writer,
        ReceiverRateLimiter rateLimiter,
        IOptions<ReceiverOptions> options,
        TimeProvider clock)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var profile = await directory.FindAsync(token, cancellationToken);
        if (profile is null)
            return Problem(404, "Unknown receiver URL", "No source has this receiver URL. It may have been deleted, or its URL rotated.");

        using var lease = rateLimiter.Acquire(profile.SourceId);
        if (lease is { IsAcquired: false })
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problem(429, "Too many requests", $"This source accepts {options.Value.RateLimitPerMinute} requests per minute. Retry after the time in Retry-After.");
        }

        if (PayloadDocument.KindOf(request.ContentType) == BodyKind.Unsupported)
            return Problem(415, "Unsupported content type",
                $"Content type '{request.ContentType ?? "(none)"}' is not accepted. Send {PayloadDocument.AcceptedTypes}.");

        // The stored content type has a bounded column; a longer header is no real sender's.
        if (request.ContentType is { Length: > MaxContentTypeLength })
            return Problem(400, "Content-Type too long", $"The Content-Type header has at most {MaxContentTypeLength} characters.");

        var maxBytes = options.Value.MaxBodyBytes;
        if (request.ContentLength > maxBytes)
            return TooLarge(maxBytes);
        var body = await ReadLimitedAsync(request.Body, maxBytes, cancellationToken);
        if (body is null)
            return TooLarge(maxBytes);

        var parsed = PayloadDocument.Read(request.ContentType, body);
        if (!parsed.IsSuccess)
            return parsed.ErrorKind == JsonParseErrorKind.WrongShape
                ? Problem(422, "Unexpected JSON", parsed.Error)
                : Problem(400, "Malformed JSON", parsed.Error);
        var document = parsed.Value;

        var headers = HeadersOf(request);
        var payload = new ReceivedPayload
        {
            SourceId = profile.SourceId,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            ContentType = request.ContentType ?? "",
            Headers = JsonSerializer.Serialize(headers),
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
            Size = body.Length,
            Body = body,
            Outcome = profile.Processes ? PayloadOutcome.Pending : PayloadOutcome.Stored,
            Reason = profile.StoredReason,
        };

        var verification = SignatureVerifier.Verify(profile.Verification, headers, body, clock.GetUtcNow());
        if (!verification.IsValid)
        {
            // Kept so the user can see why a sender's requests are refused, but never processed.
            payload.Outcome = PayloadOutcome.Rejected;
            payload.Reason = "Verification failed: " + verification.FailureReason;
            await writer.StoreAsync(payload, cancellationToken);
            return Problem(401, "Verification failed", verification.FailureReason);
        }

        payload.DedupValue = DedupValueOf(profile.DedupKey, headers, document);
        try
        {
            var stored = await writer.StoreAsync(payload, cancellationToken);
            return TypedResults.Json(new Accepted(stored.Id), statusCode: StatusCodes.Status202Accepted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Problem(503, "Could not store the payload", "The studio could not write to its database. Nothing was stored; retry later.");
        }
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; null when the body is longer (never buffered whole).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 64 * 1024));
        try
        {
            using var collected = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (collected.Length + read > maxBytes)
                    return null;
                collected.Write(buffer, 0, read);
            }
            return collected.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Dictionary<string, string> HeadersOf(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
            headers[name] = values.ToString();
        return headers;
    }

    /// <summary>The value that identifies a re-sent payload: a header, or (when the key starts with <c>$</c>) a JSONPath.</summary>
    internal static string? DedupValueOf(string? dedupKey, IReadOnlyDictionary<string, string> headers, JToken document)
    {
        if (string.IsNullOrWhiteSpace(dedupKey))
            return null;
        string? value;
        if (dedupKey.StartsWith('$'))
        {
            try { value = document.SelectToken(dedupKey)?.ToString(Newtonsoft.Json.Formatting.None).Trim('"'); }
            catch (Newtonsoft.Json.JsonException) { value = null; }
        }
        else
        {
            value = headers.TryGetValue(dedupKey, out var header) ? header : null;
        }
        return string.IsNullOrEmpty(value) ? null : $"{dedupKey}={value}";
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        Problem(413, "Payload too large", $"The body is larger than this studio accepts ({maxBytes:N0} bytes, setting Receiver:MaxBodyBytes).");

    private static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
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
