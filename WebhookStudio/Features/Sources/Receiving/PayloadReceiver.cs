using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Sources.Receiving.Handshakes;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>A request as the receiver sees it, whoever made it: a sender over HTTP, or the setup's "Send a sample".</summary>
/// <param name="Url">The public receiver URL the sender called, query included; signatures over the URL cover it.</param>
/// <param name="Query">The query's parameters, for apps that check the URL with them.</param>
public sealed record InboundRequest(
    string? ContentType, long? ContentLength, Stream Body, IReadOnlyDictionary<string, string> Headers, string? RemoteAddress,
    string Method = "POST", string Url = "", IReadOnlyDictionary<string, string>? Query = null);

/// <summary>
/// The receiver's answer: 202 with the payload id (or, for apps that expect it, <see cref="EventAnswerStatus"/> with
/// no body), a refusal with a title and what to fix, or the answer to an app's check of the URL.
/// </summary>
public sealed record ReceiveOutcome(int Status, long? PayloadId = null, string? Title = null, string? Detail = null, int? RetryAfterSeconds = null,
    HandshakeAnswer? Handshake = null, int? EventAnswerStatus = null)
{
    public bool IsAccepted => Status == StatusCodes.Status202Accepted;
}

/// <summary>
/// The receiver's rules in one place, so every way in (the HTTP endpoint, the setup's sample) is checked, stored and
/// refused alike: rate limit, content type, size, JSON shape, verification, de-duplication, group-committed write.
/// A refusal for a known source is also noted in <see cref="ReceiverRejections"/>.
/// </summary>
public sealed class PayloadReceiver(
    ReceiverDirectory directory,
    PayloadWriter writer,
    ReceiverRateLimiter rateLimiter,
    ReceiverRejections rejections,
    IOptions<ReceiverOptions> options,
    SourceService sources,
    TimeProvider clock)
{
    private static readonly IReadOnlyDictionary<string, string> NoQuery = new Dictionary<string, string>();

    /// <summary>The length of the stored content type column.</summary>
    public const int MaxContentTypeLength = 200;

    public async Task<ReceiveOutcome> ReceiveAsync(string token, InboundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var profile = await directory.FindAsync(token, cancellationToken);
        if (profile is null)
            return new ReceiveOutcome(404, Title: "Unknown receiver URL", Detail: "No source has this receiver URL. It may have been deleted, or its URL rotated.");

        var outcome = await ReceiveAsync(profile, request, cancellationToken);
        if (!outcome.IsAccepted && outcome.Handshake is null)
            rejections.Record(new RejectedAttempt(profile.SourceId, clock.GetUtcNow().UtcDateTime, outcome.Status, outcome.Title ?? "",
                outcome.Detail, request.ContentType, request.RemoteAddress, request.Headers.GetValueOrDefault("User-Agent"), outcome.PayloadId));
        return outcome;
    }

    private async Task<ReceiveOutcome> ReceiveAsync(ReceiverProfile profile, InboundRequest request, CancellationToken cancellationToken)
    {
        using var lease = rateLimiter.Acquire(profile.SourceId);
        if (lease is { IsAcquired: false })
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
            return new ReceiveOutcome(429, Title: "Too many requests",
                Detail: $"This source accepts {options.Value.RateLimitPerMinute} requests per minute. Retry after the time in Retry-After.",
                RetryAfterSeconds: Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));
        }

        var maxBytes = options.Value.MaxBodyBytes;
        byte[]? body = null;
        var handshake = AppHandshakes.For(profile.App, profile.Verification.Kind);
        if (handshake is not null)
        {
            // An app's check may carry no content type or body (Microsoft Graph, Trello, Meta), so it comes first.
            if (request.ContentLength > maxBytes || (body = await ReadLimitedAsync(request.Body, request.ContentLength, maxBytes, cancellationToken)) is null)
                return TooLarge(maxBytes);
            var check = new HandshakeRequest(request.Method, request.Query ?? NoQuery, request.Headers, body, request.ContentType);
            if (handshake.Claims(check))
                return await AnswerHandshakeAsync(profile, handshake, check, request, cancellationToken);
        }
        if (request.Method != HttpMethods.Post)
            return new ReceiveOutcome(StatusCodes.Status405MethodNotAllowed, Title: "Send webhooks with POST",
                Detail: handshake is null
                    ? "This receiver URL accepts POST requests."
                    : $"This receiver URL accepts POST requests, and answers {request.Method} only for {handshake.Name}'s check of the URL.");

        if (PayloadDocument.KindOf(request.ContentType) == BodyKind.Unsupported)
            return new ReceiveOutcome(415, Title: "Unsupported content type",
                Detail: $"Content type '{request.ContentType ?? "(none)"}' is not accepted. Send {PayloadDocument.AcceptedTypes}.");

        // The stored content type has a bounded column; a longer header is no real sender's.
        if (request.ContentType is { Length: > MaxContentTypeLength })
            return new ReceiveOutcome(400, Title: "Content-Type too long",
                Detail: $"The Content-Type header has at most {MaxContentTypeLength} characters.");

        if (request.ContentLength > maxBytes)
            return TooLarge(maxBytes);
        body ??= await ReadLimitedAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
        if (body is null)
            return TooLarge(maxBytes);

        if (PayloadDocument.Check(request.ContentType, body) is { } refused)
            return refused.ErrorKind == JsonParseErrorKind.WrongShape
                ? new ReceiveOutcome(422, Title: "Unexpected JSON", Detail: refused.Error)
                : new ReceiveOutcome(400, Title: "Malformed JSON", Detail: refused.Error);

        var payload = new ReceivedPayload
        {
            SourceId = profile.SourceId,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            ContentType = request.ContentType ?? "",
            Headers = JsonSerializer.Serialize(StoredHeaders.Masked(request.Headers, profile.Verification)),
            RemoteAddress = request.RemoteAddress,
            Size = body.Length,
            Body = body,
            Outcome = profile.Processes ? PayloadOutcome.Pending : PayloadOutcome.Stored,
            Reason = profile.StoredReason,
        };

        var signed = new SignedRequest(request.Method, request.Url, request.Headers, body, request.ContentType);
        var verification = SignatureVerifier.Verify(profile.Verification, signed, clock.GetUtcNow());
        if (!verification.IsValid)
        {
            // Kept so the user can see why a sender's requests are refused, but never processed.
            payload.Outcome = PayloadOutcome.Rejected;
            payload.Reason = "Verification failed: " + verification.FailureReason;
            var kept = await writer.StoreAsync(payload, cancellationToken);
            return new ReceiveOutcome(401, PayloadId: kept.Id, Title: "Verification failed", Detail: verification.FailureReason);
        }

        payload.DedupValue = DedupValueOf(profile.DedupKey, request.Headers, () => PayloadDocument.Read(request.ContentType, body).Value!);
        try
        {
            var stored = await writer.StoreAsync(payload, cancellationToken);
            return new ReceiveOutcome(StatusCodes.Status202Accepted, PayloadId: stored.Id, EventAnswerStatus: handshake?.EventAnswerStatus);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ReceiveOutcome(503, Title: "Could not store the payload",
                Detail: "The studio could not write to its database. Nothing was stored; retry later.", RetryAfterSeconds: 5);
        }
    }

    /// <summary>
    /// An app's check of the URL: its signature first where the app signs it and the source can check it, then the
    /// answer the app expects. The check is kept as a payload with the outcome Handshake (a refused one as Rejected),
    /// so the connect step can say "Slack verified this URL".
    /// </summary>
    private async Task<ReceiveOutcome> AnswerHandshakeAsync(
        ReceiverProfile profile, AppHandshake handshake, HandshakeRequest check, InboundRequest request, CancellationToken cancellationToken)
    {
        var payload = new ReceivedPayload
        {
            SourceId = profile.SourceId,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            ContentType = request.ContentType ?? "",
            Headers = JsonSerializer.Serialize(StoredHeaders.Masked(handshake.StoredHeaders(check), profile.Verification)),
            RemoteAddress = request.RemoteAddress,
            Body = handshake.StoredBody(check),
            Outcome = PayloadOutcome.Handshake,
        };
        payload.Size = payload.Body.Length;

        if (handshake.IsSigned && profile.Verification.Kind != VerificationKind.None)
        {
            var signed = new SignedRequest(request.Method, request.Url, request.Headers, check.Body, request.ContentType);
            var verification = SignatureVerifier.Verify(profile.Verification, signed, clock.GetUtcNow());
            if (!verification.IsValid)
                return await RefuseHandshakeAsync(payload, handshake, StatusCodes.Status401Unauthorized, verification.FailureReason, cancellationToken);
        }

        var answer = handshake.Answer(check, profile.Verification);
        if (answer.Refusal is { } refusal)
            return await RefuseHandshakeAsync(payload, handshake, answer.Status, refusal, cancellationToken);
        if (answer.Keep is { } secret && !await sources.KeepHandedOverSecretAsync(profile.SourceId, secret.Kind, secret.Secret, cancellationToken))
            return await RefuseHandshakeAsync(payload, handshake, StatusCodes.Status401Unauthorized,
                $"This source already keeps the secret of an earlier {handshake.Name} handshake. To connect a new {handshake.Name} webhook, clear the secret in the source's verification settings first.",
                cancellationToken);

        payload.Reason = $"{handshake.Name} verified this URL.";
        await writer.StoreAsync(payload, cancellationToken);
        return new ReceiveOutcome(answer.Status, Handshake: answer);
    }

    private async Task<ReceiveOutcome> RefuseHandshakeAsync(
        ReceivedPayload payload, AppHandshake handshake, int status, string reason, CancellationToken cancellationToken)
    {
        payload.Outcome = PayloadOutcome.Rejected;
        payload.Reason = $"{handshake.Name}'s check of this URL was refused: {reason}";
        await writer.StoreAsync(payload, cancellationToken);
        return new ReceiveOutcome(status, Title: $"{handshake.Name}'s check was refused", Detail: reason);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; null when the body is longer (never buffered whole).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long? contentLength, int maxBytes, CancellationToken cancellationToken)
    {
        // The usual case: a declared length within the limit is read straight into its array (Kestrel stops at it).
        if (contentLength is { } length and <= int.MaxValue && length <= maxBytes)
        {
            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

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

    /// <summary>The value that identifies a re-sent payload: a header, or (when the key starts with <c>$</c>) a JSONPath.</summary>
    /// <param name="document">Reads the body, only for a JSONPath key.</param>
    internal static string? DedupValueOf(string? dedupKey, IReadOnlyDictionary<string, string> headers, Func<JToken> document)
    {
        if (string.IsNullOrWhiteSpace(dedupKey))
            return null;
        string? value;
        if (dedupKey.StartsWith('$'))
        {
            try { value = document().SelectToken(dedupKey)?.ToString(Newtonsoft.Json.Formatting.None).Trim('"'); }
            catch (Newtonsoft.Json.JsonException) { value = null; }
        }
        else
        {
            value = headers.TryGetValue(dedupKey, out var header) ? header : null;
        }
        return string.IsNullOrEmpty(value) ? null : $"{dedupKey}={value}";
    }

    private static ReceiveOutcome TooLarge(int maxBytes) =>
        new(413, Title: "Payload too large",
            Detail: string.Create(CultureInfo.InvariantCulture, $"The body is larger than this studio accepts ({maxBytes:N0} bytes, setting Receiver:MaxBodyBytes)."));
}
