using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Newtonsoft.Json.Linq;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Sources.Pipeline;

/// <summary>A recent payload of a source, read as the pipeline reads it.</summary>
/// <param name="Document">The parsed body; shared between callers, so never modify it (DeepClone first).</param>
/// <param name="ReadError">Why the body could not be read; null when <paramref name="Document"/> is set.</param>
public sealed record RecentPayload(long Id, DateTime ReceivedAt, JToken? Document, string? ReadError);

/// <summary>
/// The last payloads of a source, parsed, for editors that test a filter or a mapping against them on every
/// keystroke (backtests, coverage). A body never changes once stored, so each parsed document is cached by
/// payload id and only newly arrived payloads are read and parsed again; the list of recent ids is queried
/// each time (cheap: no bodies), so payloads that arrive while the user edits are included.
/// Rejected and duplicate payloads are left out: the pipeline never processes them.
/// </summary>
public sealed class RecentPayloadDocuments(IDbContextFactory<StudioDbContext> contexts) : IDisposable
{
    /// <summary>How many payloads editors look back over.</summary>
    public const int DefaultCount = 500;

    // Bounded by body bytes (a parsed tree is a few times larger): one busy editing session must not hold
    // hundreds of megabytes. Entries expire soon after the editing stops.
    private const long CacheBodyBytes = 24L * 1024 * 1024;
    private static readonly TimeSpan IdleExpiry = TimeSpan.FromMinutes(5);
    private const int BodiesPerQuery = 100;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = CacheBodyBytes });

    /// <summary>The source's last <paramref name="count"/> processable payloads, newest first.</summary>
    public async Task<IReadOnlyList<RecentPayload>> GetAsync(int sourceId, int count = DefaultCount, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var recent = await db.Payloads.AsNoTracking()
            .Where(p => p.SourceId == sourceId && p.Outcome != PayloadOutcome.Rejected && p.Outcome != PayloadOutcome.Duplicate && p.Outcome != PayloadOutcome.Handshake)
            .OrderByDescending(p => p.Id)
            .Take(count)
            .Select(p => new { p.Id, p.ReceivedAt })
            .ToListAsync(cancellationToken);

        var parsed = new Dictionary<long, Parsed>(recent.Count);
        var missing = new List<long>();
        foreach (var payload in recent)
        {
            if (cache.TryGetValue(Key(payload.Id), out Parsed? hit) && hit is not null)
                parsed[payload.Id] = hit;
            else
                missing.Add(payload.Id);
        }

        foreach (var chunk in missing.Chunk(BodiesPerQuery))
        {
            var bodies = await db.Payloads.AsNoTracking()
                .Where(p => chunk.Contains(p.Id))
                .Select(p => new { p.Id, p.ContentType, p.Body })
                .ToListAsync(cancellationToken);
            foreach (var body in bodies)
            {
                var read = PayloadDocument.Read(body.ContentType, body.Body);
                var entry = new Parsed(read.IsSuccess ? read.Value : null, read.IsSuccess ? null : read.Error);
                parsed[body.Id] = entry;
                cache.Set(Key(body.Id), entry, new MemoryCacheEntryOptions { Size = Math.Max(1, body.Body.Length), SlidingExpiration = IdleExpiry });
            }
        }

        // A payload erased between the two queries has no body any more; it is simply left out.
        return [.. recent.Where(p => parsed.ContainsKey(p.Id))
            .Select(p => new RecentPayload(p.Id, p.ReceivedAt, parsed[p.Id].Document, parsed[p.Id].Error))];
    }

    public void Dispose() => cache.Dispose();

    private static (string, long) Key(long payloadId) => (nameof(RecentPayloadDocuments), payloadId);

    private sealed record Parsed(JToken? Document, string? Error);
}
