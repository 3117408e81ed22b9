using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources;

public sealed record PayloadDetail(ReceivedPayload Payload, IReadOnlyDictionary<string, string> MaskedHeaders, string BodyText);

/// <summary>Reading received payloads, for the UI and the API alike.</summary>
public sealed class PayloadQueries(IDbContextFactory<StudioDbContext> contexts, KnownSecretsReader secrets)
{
    public async Task<(IReadOnlyList<ReceivedPayload> Items, int Total)> ListAsync(
        int sourceId, PayloadOutcome? outcome, DateTime? from, DateTime? to, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Payloads.AsNoTracking().Where(p => p.SourceId == sourceId);
        if (outcome is { } o) query = query.Where(p => p.Outcome == o);
        if (from is { } f) query = query.Where(p => p.ReceivedAt >= f);
        if (to is { } t) query = query.Where(p => p.ReceivedAt < t);
        var total = await query.CountAsync(cancellationToken);
        // The list never carries bodies: they can be a megabyte each.
        var items = await query.OrderByDescending(p => p.Id).Skip(page.Skip).Take(page.Size)
            .Select(p => new ReceivedPayload
            {
                Id = p.Id, SourceId = p.SourceId, ReceivedAt = p.ReceivedAt, ContentType = p.ContentType, Headers = "", Body = Array.Empty<byte>(),
                Size = p.Size, Outcome = p.Outcome, Reason = p.Reason, Created = p.Created, Updated = p.Updated, Unchanged = p.Unchanged,
                DuplicateOfId = p.DuplicateOfId, ProcessedAt = p.ProcessedAt, RemoteAddress = p.RemoteAddress,
            })
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<PayloadDetail?> GetAsync(int sourceId, long payloadId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var payload = await db.Payloads.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payloadId && p.SourceId == sourceId, cancellationToken);
        if (payload is null) return null;
        // The header the source's secret arrives in (a named one, X-Gitlab-Token) is as secret as Authorization.
        var source = await db.Sources.Where(s => s.Id == sourceId)
            .Select(s => new { s.VerificationKind, s.VerificationHeader }).FirstOrDefaultAsync(cancellationToken);
        var verification = new VerificationSettings { Kind = source?.VerificationKind ?? VerificationKind.None, HeaderName = source?.VerificationHeader };
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(payload.Headers) ?? [];
        var known = await secrets.ReadAsync(cancellationToken);
        var masked = headers.ToDictionary(h => h.Key,
            h => SensitiveHeaders.IsSensitive(h.Key, verification) && !h.Value.StartsWith(SensitiveHeaders.MaskPrefix, StringComparison.Ordinal)
                ? SensitiveHeaders.Mask(h.Value) : known.Header(h.Key, h.Value), StringComparer.OrdinalIgnoreCase);
        return new PayloadDetail(payload, masked, Encoding.UTF8.GetString(payload.Body));
    }
}
