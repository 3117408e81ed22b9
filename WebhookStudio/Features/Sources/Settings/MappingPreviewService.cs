using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json.Linq;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Features.Sources.Settings;

/// <summary>A recent payload of a source, read once into the JSON the mapping works on.</summary>
/// <param name="Document">Null when the body cannot be read; <see cref="Error"/> says why.</param>
public sealed record PayloadSample(long Id, DateTime ReceivedAt, PayloadOutcome Outcome, string ContentType, int Size, JToken? Document, string? Error)
{
    public bool IsForm => PayloadDocument.KindOf(ContentType) == BodyKind.Form;
}

/// <summary>What a mapping makes of one payload.</summary>
/// <param name="Problem">Set when no entity could be read at all: unreadable body, invalid entity path, nothing at the path.</param>
public sealed record PayloadCoverage(long PayloadId, DateTime ReceivedAt, PayloadOutcome Outcome, int Entities, int WithId, int WithTitle, string? Problem)
{
    /// <summary>Every entity of the payload has an id, so the payload would become items.</summary>
    public bool IdFound => Problem is null && Entities > 0 && WithId == Entities;

    public bool TitleFound => Problem is null && Entities > 0 && WithTitle == Entities;
}

/// <summary>A mapping checked against a source's recent payloads, newest first.</summary>
public sealed record MappingCoverage(IReadOnlyList<PayloadCoverage> Payloads, bool HasIdPath, bool HasTitlePath)
{
    public static MappingCoverage Empty { get; } = new([], false, false);

    public int Total => Payloads.Count;
    public int IdFound => Payloads.Count(p => p.IdFound);
    public int TitleFound => Payloads.Count(p => p.TitleFound);
    public IEnumerable<PayloadCoverage> MissingId => Payloads.Where(p => !p.IdFound);
    public IEnumerable<PayloadCoverage> MissingTitle => Payloads.Where(p => !p.TitleFound);
    public PayloadCoverage? For(long payloadId) => Payloads.FirstOrDefault(p => p.PayloadId == payloadId);

    /// <summary>"92% (46 of 50)": rounded down, so "100%" is only said when every payload passes.</summary>
    public static string Describe(int part, int whole) =>
        whole == 0 ? "no payloads" : $"{(int)Math.Floor(part * 100.0 / whole)}% ({part} of {whole})";
}

/// <summary>
/// Loads a source's recent payloads for the mapping editor. Each body is parsed once per editing session
/// (<see cref="MappingSession"/>), so re-checking the mapping on every keystroke only runs JSONPaths.
/// </summary>
public sealed class MappingPreviewService(IDbContextFactory<StudioDbContext> contexts)
{
    /// <summary>How many recent payloads coverage is computed over.</summary>
    public const int RecentLimit = 500;

    /// <summary>Bodies held in memory per session; large payloads stop the list earlier than <see cref="RecentLimit"/>.</summary>
    public const long ByteBudget = 64L * 1024 * 1024;

    private static readonly PayloadOutcome[] NeverProcessed = [PayloadOutcome.Rejected, PayloadOutcome.Duplicate, PayloadOutcome.Handshake];

    public async Task<MappingSession> OpenAsync(int sourceId, int limit = RecentLimit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var recent = db.Payloads.AsNoTracking()
            .Where(p => p.SourceId == sourceId && !NeverProcessed.Contains(p.Outcome))
            .OrderByDescending(p => p.Id);
        var sizes = await recent.Take(limit).Select(p => new { p.Id, p.Size }).ToListAsync(cancellationToken);

        var chosen = new List<long>();
        long bytes = 0;
        foreach (var payload in sizes)
        {
            bytes += payload.Size;
            if (bytes > ByteBudget && chosen.Count > 0) break;
            chosen.Add(payload.Id);
        }

        var samples = new List<PayloadSample>(chosen.Count);
        foreach (var chunk in chosen.Chunk(100))
        {
            var rows = await db.Payloads.AsNoTracking().Where(p => chunk.Contains(p.Id))
                .Select(p => new { p.Id, p.ReceivedAt, p.Outcome, p.ContentType, p.Size, p.Body })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                var read = PayloadDocument.Read(row.ContentType, row.Body);
                samples.Add(new PayloadSample(row.Id, row.ReceivedAt, row.Outcome, row.ContentType, row.Size,
                    read.Value, read.IsSuccess ? null : read.Error));
            }
        }
        return new MappingSession([.. samples.OrderByDescending(s => s.Id)]);
    }
}

/// <summary>The parsed recent payloads of one source, held while a user edits its mapping.</summary>
public sealed class MappingSession(IReadOnlyList<PayloadSample> payloads)
{
    /// <summary>Newest first.</summary>
    public IReadOnlyList<PayloadSample> Payloads { get; } = payloads;

    public PayloadSample? Find(long payloadId) => Payloads.FirstOrDefault(p => p.Id == payloadId);

    public MappingCoverage Evaluate(EntityMapping mapping) =>
        new([.. Payloads.Select(p => Evaluate(p, mapping))], !string.IsNullOrWhiteSpace(mapping.IdPath), !string.IsNullOrWhiteSpace(mapping.TitlePath));

    public static PayloadCoverage Evaluate(PayloadSample sample, EntityMapping mapping)
    {
        PayloadCoverage Problem(string problem) => new(sample.Id, sample.ReceivedAt, sample.Outcome, 0, 0, 0, problem);
        if (sample.Document is null)
            return Problem($"Cannot be read: {sample.Error}");
        var (entities, error) = Extract(mapping, sample.Document);
        if (error is not null)
            return Problem(error);
        if (entities.Count == 0)
            return Problem($"No entity at {mapping.EntityPath}");
        return new PayloadCoverage(sample.Id, sample.ReceivedAt, sample.Outcome, entities.Count,
            entities.Count(e => e.ExternalId is not null), entities.Count(e => !string.IsNullOrEmpty(e.Title)), null);
    }

    /// <summary>
    /// The entities a mapping finds in a payload, also before it is complete: without a (valid) id path every
    /// entity is listed with the id missing, so the user sees what the entity path selects.
    /// </summary>
    public static (IReadOnlyList<ExtractedEntity> Entities, string? Error) Extract(EntityMapping mapping, JToken document)
    {
        var validation = EntityMapper.Validate(mapping);
        if (validation.Errors.TryGetValue("entityPath", out var entityError))
            return ([], entityError);
        try
        {
            if (validation.IsValid)
                return (EntityMapper.Extract(mapping, document), null);

            var idMissing = validation.Errors.TryGetValue("idPath", out var idError) && !string.IsNullOrWhiteSpace(mapping.IdPath)
                ? idError : "No unique id chosen yet";
            var readTitle = !validation.Errors.ContainsKey("titlePath") && !string.IsNullOrWhiteSpace(mapping.TitlePath);
            return ([.. EntityMapper.SelectEntities(mapping.EntityPath, document).Select(entity => new ExtractedEntity(entity, null,
                readTitle && entity is JObject ? EntityMapper.SelectRelative(entity, mapping.TitlePath!).Select(JsonTokens.ScalarText).FirstOrDefault() : null,
                idMissing))], null);
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException)
        {
            // Some paths are only found wrong when run (e.g. a filter comparing incompatible values).
            return ([], $"The path failed on this payload: {e.Message}");
        }
    }

    /// <summary>The field paths seen in a payload, for path suggestions (filter builder, typed paths).</summary>
    public IReadOnlyList<string> Fields(long payloadId) =>
        Find(payloadId)?.Document is { } document ? JsonPaths.Fields(document) : [];
}
