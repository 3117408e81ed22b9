using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json.Linq;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Sources;

public sealed record SourceSummary(Source Source, int PayloadsToday, int Items, int Pending);

/// <summary>Changes to a source; a null property is left as it is (<see cref="FilterSet"/> tells "no filter" from "unchanged").</summary>
public sealed record SourcePatch
{
    public string? Name { get; init; }
    public string? EntityPath { get; init; }
    public string? IdPath { get; init; }
    public string? TitlePath { get; init; }
    public FetchMode? FetchMode { get; init; }
    public bool FilterSet { get; init; }
    public ConditionGroup? Filter { get; init; }
    public bool? LiveStream { get; init; }
    public VerificationPatch? Verification { get; init; }
    public bool DedupKeySet { get; init; }
    public string? DedupKey { get; init; }
    public bool RetentionSet { get; init; }
    public int? RetentionDays { get; init; }
}

/// <summary>Inbound verification; a null secret (or verify token) keeps the one already saved, for the same kind.</summary>
public sealed record VerificationPatch(VerificationKind Kind, string? Secret, string? HeaderName, int? ToleranceSeconds)
{
    /// <summary>Only for <see cref="VerificationKind.Meta"/>.</summary>
    public string? VerifyToken { get; init; }

    /// <summary>Only for <see cref="VerificationKind.CustomHmac"/>.</summary>
    public CustomSignature? Custom { get; init; }
}

public sealed record PreviewRequest(long? PayloadId, JToken? Payload, EntityMapping Mapping, ConditionGroup? Filter);

public sealed record PreviewResult(FilterVerdict Verdict, IReadOnlyList<ExtractedEntity> Entities);

/// <summary>Everything a user (UI) or a program (API) does to sources goes through here.</summary>
public sealed class SourceService(
    IDbContextFactory<StudioDbContext> contexts,
    ReceiverDirectory directory,
    SourceSecrets secrets,
    PayloadSignal signal,
    TimeProvider clock)
{
    public async Task<Source> CreateAsync(string? name, string? app, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name))
            errors["name"] = ["Give the source a name, e.g. \"Stripe invoices\"."];
        else if (name.Trim().Length > 200)
            errors["name"] = ["A name has at most 200 characters."];
        var appKey = Catalog.AppCatalog.Normalize(app);
        if (appKey is null)
            errors["app"] = [$"'{app!.Trim()}' is not an app of the catalog. Use one of its keys (GET /api/v1/apps), or \"custom\" for any other application."];
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var source = new Source
        {
            Name = name!.Trim(),
            App = appKey!,
            Token = NewToken(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Sources.Add(source);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    public async Task<(IReadOnlyList<SourceSummary> Items, int Total)> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Sources.AsNoTracking().Where(s => s.DeletedAt == null);
        var total = await query.CountAsync(cancellationToken);
        var sources = await query.OrderBy(s => s.Name).Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken);
        return (await SummarizeAsync(db, sources, cancellationToken), total);
    }

    public async Task<SourceSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        return source is null ? null : (await SummarizeAsync(db, [source], cancellationToken))[0];
    }

    private async Task<IReadOnlyList<SourceSummary>> SummarizeAsync(StudioDbContext db, List<Source> sources, CancellationToken cancellationToken)
    {
        var ids = sources.Select(s => s.Id).ToList();
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var payloadsToday = await db.Payloads.Where(p => ids.Contains(p.SourceId) && p.ReceivedAt >= today)
            .GroupBy(p => p.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var pending = await db.Payloads.Where(p => ids.Contains(p.SourceId) && p.Outcome == PayloadOutcome.Pending)
            .GroupBy(p => p.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var items = await db.Items.Where(i => ids.Contains(i.SourceId))
            .GroupBy(i => i.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return sources.Select(s => new SourceSummary(s, payloadsToday.GetValueOrDefault(s.Id), items.GetValueOrDefault(s.Id), pending.GetValueOrDefault(s.Id))).ToList();
    }

    /// <returns>The updated source, or null when there is no such source.</returns>
    public async Task<Source?> UpdateAsync(int id, SourcePatch patch, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (source is null)
            return null;

        var errors = new Dictionary<string, string[]>();
        if (patch.Name is { } name)
        {
            if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["A source needs a name."];
            else if (name.Trim().Length > 200) errors["name"] = ["A name has at most 200 characters."];
            else source.Name = name.Trim();
        }
        if (patch.EntityPath is not null) source.EntityPath = string.IsNullOrWhiteSpace(patch.EntityPath) ? EntityMapping.WholePayload : patch.EntityPath.Trim();
        if (patch.IdPath is not null) source.IdPath = patch.IdPath.Trim();
        if (patch.TitlePath is not null) source.TitlePath = string.IsNullOrWhiteSpace(patch.TitlePath) ? null : patch.TitlePath.Trim();
        if (patch.FetchMode is { } mode) source.FetchMode = mode;
        if (patch.FilterSet)
        {
            if (patch.Filter is { } filter && FilterValidator.Validate(filter) is { Count: > 0 } filterErrors)
                foreach (var e in filterErrors)
                    errors[$"filter.{e.Location}"] = [e.Message];
            source.Filter = patch.Filter?.ToJson();
        }
        if (patch.DedupKeySet)
        {
            source.DedupKey = string.IsNullOrWhiteSpace(patch.DedupKey) ? null : patch.DedupKey.Trim();
            if (source.DedupKey is { } key && key.StartsWith('$') && !IsValidPath(key))
                errors["dedupKey"] = [$"'{key}' is not a valid JSONPath."];
        }
        if (patch.RetentionSet)
        {
            if (patch.RetentionDays is < 1 or > 3650) errors["retentionDays"] = ["Keep payloads between 1 and 3650 days."];
            source.RetentionDays = patch.RetentionDays;
        }
        if (patch.Verification is { } verification)
            ApplyVerification(source, verification, errors);

        // The mapping is validated as a whole once it is being used (an id path is set or requested).
        if (patch.EntityPath is not null || patch.IdPath is not null || patch.TitlePath is not null || patch.LiveStream == true)
        {
            var mapping = EntityMapper.Validate(source.Mapping);
            foreach (var (field, message) in mapping.Errors)
                if (field != "idPath" || patch.IdPath is not null || patch.LiveStream == true)
                    errors[field] = [patch.LiveStream == true && field == "idPath" ? "Choose the unique id before turning the live stream on." : message];
        }
        if (patch.LiveStream is { } live) source.LiveStream = live;
        if (errors.Count > 0)
            throw new ValidationException(errors);

        if (!string.IsNullOrEmpty(source.IdPath))
            source.Status = SourceStatus.Configured;
        source.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        directory.Invalidate();
        return source;
    }

    private void ApplyVerification(Source source, VerificationPatch patch, Dictionary<string, string[]> errors)
    {
        var kindChanged = source.VerificationKind != patch.Kind;
        source.VerificationKind = patch.Kind;
        if (patch.Kind == VerificationKind.None)
        {
            source.VerificationSecretProtected = null;
            source.VerificationHeader = null;
            source.VerifyTokenProtected = null;
            source.VerificationCustom = null;
            return;
        }

        var preset = VerificationPresets.For(patch.Kind)!;
        // A secret kept from another kind would be the wrong app's (a GitHub secret is no Discord public key).
        if (kindChanged && patch.Secret is null)
            source.VerificationSecretProtected = null;
        if (patch.Secret is not null)
        {
            var secret = patch.Secret.Trim();
            if (secret.Length == 0)
                source.VerificationSecretProtected = null;
            else if (preset.Scheme?.SecretProblem(secret) is { } problem)
                errors["verification.secret"] = [problem];
            else
                source.VerificationSecretProtected = secrets.Protect(secret);
        }
        // Asana hands its secret over in the handshake that follows; the receiver keeps it then.
        if (source.VerificationSecretProtected is null && !errors.ContainsKey("verification.secret") && patch.Kind != VerificationKind.Asana)
            errors["verification.secret"] = [$"Paste {preset.Title}'s {preset.SecretLabel.ToLowerInvariant()}: {preset.SecretHelp}"];

        source.VerificationHeader = patch.Kind is VerificationKind.SharedSecretHeader or VerificationKind.CustomHmac ? patch.HeaderName?.Trim() : null;
        if (patch.Kind == VerificationKind.SharedSecretHeader && string.IsNullOrEmpty(source.VerificationHeader))
            errors["verification.headerName"] = ["Name the header that carries the secret, e.g. X-Webhook-Token."];

        if (patch.Kind == VerificationKind.Meta)
        {
            if (kindChanged && patch.VerifyToken is null)
                source.VerifyTokenProtected = null;
            if (!string.IsNullOrWhiteSpace(patch.VerifyToken))
                source.VerifyTokenProtected = secrets.Protect(patch.VerifyToken.Trim());
            if (source.VerifyTokenProtected is null)
                errors["verification.verifyToken"] = ["Type a verify token, and the same one in Meta's Webhooks product (Verify token): Meta sends it once to confirm this URL."];
        }
        else
        {
            source.VerifyTokenProtected = null;
        }

        source.VerificationCustom = null;
        if (patch.Kind == VerificationKind.CustomHmac)
            ApplyCustom(source, patch.Custom ?? new CustomSignature(), errors);

        if (patch.ToleranceSeconds is { } tolerance)
        {
            if (tolerance is < 1 or > 86_400) errors["verification.toleranceSeconds"] = ["Allow between 1 second and 1 day."];
            else source.VerificationToleranceSeconds = tolerance;
        }
    }

    private static void ApplyCustom(Source source, CustomSignature custom, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(source.VerificationHeader))
            errors["verification.headerName"] = ["Name the header that carries the signature, e.g. X-Signature."];
        var (template, problem) = SignedContentTemplate.Parse(custom.SignedContent);
        if (template is null)
            errors["verification.signedContent"] = [problem!];
        else if (template.UsesTimestamp && string.IsNullOrWhiteSpace(custom.TimestampHeader))
            errors["verification.timestampHeader"] = ["The signed content uses {timestamp}: name the header that carries it, e.g. X-Timestamp."];
        source.VerificationCustom = CustomSignatures.Write(custom with
        {
            TimestampHeader = string.IsNullOrWhiteSpace(custom.TimestampHeader) ? null : custom.TimestampHeader.Trim(),
        });
    }

    /// <summary>
    /// Keeps a secret an app handed over in its handshake (Asana, Notion) as the source's verification secret, and
    /// the app's verification kind when the source had none. The first one is kept: a different one later would
    /// replace a working secret, so it is refused (false) until the user clears the saved one.
    /// </summary>
    public async Task<bool> KeepHandedOverSecretAsync(int id, VerificationKind kind, string secret, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (source is null)
            return false;
        if (secrets.Unprotect(source.VerificationSecretProtected) is { } saved)
            return Inbound.Schemes.SignatureChecks.SameText(saved, secret);
        source.VerificationSecretProtected = secrets.Protect(secret);
        if (source.VerificationKind == VerificationKind.None)
            source.VerificationKind = kind;
        source.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        directory.Invalidate();
        return true;
    }

    public Task<Source?> SetLiveStreamAsync(int id, bool live, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, new SourcePatch { LiveStream = live }, cancellationToken);

    /// <summary>A new receiver URL; the old one answers 404 from now on.</summary>
    public async Task<Source?> RotateTokenAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (source is null) return null;
        source.Token = NewToken();
        source.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        directory.Invalidate();
        return source;
    }

    /// <summary>Soft delete: the receiver URL stops working at once; items and payloads stay until purged.</summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.Sources.Where(s => s.Id == id && s.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DeletedAt, now).SetProperty(x => x.LiveStream, false), cancellationToken);
        directory.Invalidate();
        return found > 0;
    }

    /// <summary>Runs the source's current mapping over its stored payloads again (all, or received since a time).</summary>
    /// <returns>How many payloads were queued, or null when there is no such source.</returns>
    public async Task<int?> ReprocessAsync(int id, DateTime? since, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (source is null) return null;
        if (string.IsNullOrEmpty(source.IdPath))
            throw new ValidationException("idPath", "Choose the unique id before reprocessing payloads.");

        var again = new[] { PayloadOutcome.Processed, PayloadOutcome.Filtered, PayloadOutcome.Failed, PayloadOutcome.Stored };
        var queued = await db.Payloads
            .Where(p => p.SourceId == id && again.Contains(p.Outcome) && (since == null || p.ReceivedAt >= since))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Outcome, PayloadOutcome.Pending).SetProperty(p => p.Reason, "Queued for reprocessing."), cancellationToken);
        signal.Notify();
        return queued;
    }

    /// <summary>What a mapping and filter would make of a payload, without saving anything.</summary>
    public async Task<PreviewResult?> PreviewAsync(int sourceId, PreviewRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, message) in EntityMapper.Validate(request.Mapping).Errors)
            errors[field] = [message];
        if (request.Filter is { } filter)
            foreach (var e in FilterValidator.Validate(filter))
                errors[$"filter.{e.Location}"] = [e.Message];

        JToken? document = request.Payload;
        if (document is null)
        {
            if (request.PayloadId is not { } payloadId)
                errors["payload"] = ["Give a payloadId or an inline payload."];
            else
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var payload = await db.Payloads.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payloadId && p.SourceId == sourceId, cancellationToken);
                if (payload is null)
                    errors["payloadId"] = [$"Payload #{payloadId} is not one of this source's payloads."];
                else
                {
                    var read = PayloadDocument.Read(payload.ContentType, payload.Body);
                    if (!read.IsSuccess) errors["payloadId"] = [$"Payload #{payloadId} cannot be read: {read.Error}"];
                    document = read.Value;
                }
            }
        }
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var verdict = FilterEvaluator.Evaluate(request.Filter, document!);
        return new PreviewResult(verdict, EntityMapper.Extract(request.Mapping, document!));
    }

    private static bool IsValidPath(string path)
    {
        try { new JObject().SelectTokens(path).ToList(); return true; }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or IndexOutOfRangeException or OverflowException) { return false; }
    }

    /// <summary>192 random bits, URL-safe.</summary>
    private static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));
}
