using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Sources.Setup;

/// <summary>A payload that made it into the studio (anything but a rejected one), as the connect step reports it.</summary>
public sealed record ArrivedPayload(long Id, DateTime ReceivedAt, string ContentType, int Size, PayloadOutcome Outcome, string? UserAgent);

/// <summary>An app's answered check of the receiver URL, as the connect step shows it.</summary>
public sealed record AnsweredHandshake(long PayloadId, DateTime At, string Reason);

/// <summary>What "Send a sample" sent, and what the receiver answered.</summary>
public sealed record SampleResult(SamplePayload Sample, ReceiveOutcome Outcome);

/// <summary>The connect step of a source's setup: has anything arrived, what was refused, and sending a sample.</summary>
public sealed class SourceSetupService(
    IDbContextFactory<StudioDbContext> contexts,
    PayloadReceiver receiver,
    ReceiverRejections rejections,
    SamplePayloadLibrary samples)
{
    /// <summary>Recognisable in the payload's headers and in the list of refused attempts.</summary>
    public const string SampleUserAgent = "WebhookStudio sample";

    /// <summary>The newest payload the source accepted, or null while it is still waiting.</summary>
    public async Task<ArrivedPayload?> LastArrivalAsync(int sourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var payload = await db.Payloads.AsNoTracking()
            .Where(p => p.SourceId == sourceId && p.Outcome != PayloadOutcome.Rejected && p.Outcome != PayloadOutcome.Handshake)
            .OrderByDescending(p => p.Id)
            .Select(p => new { p.Id, p.ReceivedAt, p.ContentType, p.Size, p.Outcome, p.Headers })
            .FirstOrDefaultAsync(cancellationToken);
        if (payload is null)
            return null;
        var headers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(payload.Headers) ?? [];
        var userAgent = headers.FirstOrDefault(h => h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Value;
        return new ArrivedPayload(payload.Id, payload.ReceivedAt, payload.ContentType, payload.Size, payload.Outcome, userAgent);
    }

    /// <summary>The newest answered check of the URL by the source's app, or null when none came.</summary>
    public async Task<AnsweredHandshake?> LastHandshakeAsync(int sourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Payloads.AsNoTracking()
            .Where(p => p.SourceId == sourceId && p.Outcome == PayloadOutcome.Handshake)
            .OrderByDescending(p => p.Id)
            .Select(p => new AnsweredHandshake(p.Id, p.ReceivedAt, p.Reason ?? ""))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The source's last refused requests, newest first (kept in memory, see <see cref="ReceiverRejections"/>).</summary>
    public IReadOnlyList<RejectedAttempt> Rejections(int sourceId) => rejections.For(sourceId);

    /// <summary>
    /// Posts the app's sample payload to the source through the receiver itself, so it is checked, verified,
    /// de-duplicated and stored exactly like a real sender's (a source that demands a signature refuses it, too).
    /// </summary>
    /// <returns>Null when there is no such source.</returns>
    public async Task<SampleResult?> SendSampleAsync(int sourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().Where(s => s.Id == sourceId && s.DeletedAt == null)
            .Select(s => new { s.Token, s.App }).FirstOrDefaultAsync(cancellationToken);
        if (source is null)
            return null;

        var sample = samples.For(source.App);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = sample.ContentType,
            ["Content-Length"] = sample.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["User-Agent"] = SampleUserAgent,
        };
        using var body = new MemoryStream(sample.Body, writable: false);
        var outcome = await receiver.ReceiveAsync(source.Token, new InboundRequest(sample.ContentType, sample.Body.Length, body, headers, null), cancellationToken);
        return new SampleResult(sample, outcome);
    }
}
