using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Bins;

public sealed record BinSummary(RequestBin Bin, int Requests, DateTime? LastRequestAt)
{
    public BinResponse Response => new(Bin.ResponseStatus, Bin.ResponseContentType, BinResponse.HeadersFrom(Bin.ResponseHeaders), Bin.ResponseBody);

    /// <summary>When the retention job deletes the bin if nothing is sent to it or changed before then.</summary>
    public DateTime ExpiresAt(int retentionDays) =>
        (LastRequestAt is { } last && last > Bin.UpdatedAt ? last : Bin.UpdatedAt).AddDays(retentionDays);
}

/// <summary>A captured request without its body, for lists.</summary>
public sealed record BinRequestSummary(long Id, int BinId, DateTime ReceivedAt, string Method, string Path, string QueryString,
                                       string? ContentType, long Size, bool Truncated);

/// <summary>Everything the UI and the API do to bins goes through here; the bin URL itself is <see cref="BinReceiver"/>.</summary>
public sealed class BinService(
    IDbContextFactory<StudioDbContext> contexts,
    StudioWrites writes,
    EventHub<BinEvent> events,
    KnownSecretsReader secrets,
    TimeProvider clock)
{
    public async Task<RequestBin> CreateAsync(string? name, BinResponse? response, string? createdBy, CancellationToken cancellationToken = default)
    {
        response ??= BinResponse.Default;
        var errors = response.Validate();
        ValidateName(name, errors);
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var bin = new RequestBin { Name = name!.Trim(), Token = NewToken(), CreatedAt = now, UpdatedAt = now, CreatedBy = createdBy };
        Apply(bin, response);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.RequestBins.Add(bin);
        await db.SaveChangesAsync(cancellationToken);
        return bin;
    }

    public async Task<(IReadOnlyList<BinSummary> Items, int Total)> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var total = await db.RequestBins.CountAsync(cancellationToken);
        var bins = await db.RequestBins.AsNoTracking().OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id)
            .Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken);
        return (await SummarizeAsync(db, bins, cancellationToken), total);
    }

    public async Task<BinSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bin = await db.RequestBins.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        return bin is null ? null : (await SummarizeAsync(db, [bin], cancellationToken))[0];
    }

    private static async Task<IReadOnlyList<BinSummary>> SummarizeAsync(StudioDbContext db, List<RequestBin> bins, CancellationToken cancellationToken)
    {
        var ids = bins.Select(b => b.Id).ToList();
        var figures = await db.BinRequests.Where(r => ids.Contains(r.BinId))
            .GroupBy(r => r.BinId).Select(g => new { g.Key, Count = g.Count(), Last = g.Max(r => r.ReceivedAt) })
            .ToDictionaryAsync(g => g.Key, cancellationToken);
        return bins.Select(b => figures.TryGetValue(b.Id, out var f) ? new BinSummary(b, f.Count, f.Last) : new BinSummary(b, 0, null)).ToList();
    }

    /// <summary>Renames the bin and/or changes its answer; a null argument is left as it is.</summary>
    /// <returns>The bin, or null when there is no such bin.</returns>
    public async Task<RequestBin?> UpdateAsync(int id, string? name, BinResponse? response, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bin = await db.RequestBins.FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (bin is null)
            return null;
        var errors = response?.Validate() ?? [];
        if (name is not null)
            ValidateName(name, errors);
        if (errors.Count > 0)
            throw new ValidationException(errors);

        if (name is not null) bin.Name = name.Trim();
        if (response is not null) Apply(bin, response);
        bin.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new BinEvent(BinEventKind.BinChanged, id));
        return bin;
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Requests go with their bin (cascade); the bin URL answers 404 from now on.
        var deleted = await db.RequestBins.Where(b => b.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        if (deleted)
            events.Publish(new BinEvent(BinEventKind.BinDeleted, id));
        return deleted;
    }

    public async Task<(IReadOnlyList<BinRequestSummary> Items, int Total)?> ListRequestsAsync(int binId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.RequestBins.AnyAsync(b => b.Id == binId, cancellationToken))
            return null;
        var query = db.BinRequests.Where(r => r.BinId == binId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(r => r.Id).Skip(page.Skip).Take(page.Size)
            .Select(r => new BinRequestSummary(r.Id, r.BinId, r.ReceivedAt, r.Method, r.Path, r.QueryString, r.ContentType, r.Size, r.Truncated))
            .ToListAsync(cancellationToken);
        // Secrets declared after a request arrived are masked when it is shown.
        var known = await secrets.ReadAsync(cancellationToken);
        return (items.Select(r => r with { QueryString = known.QueryString(r.QueryString) }).ToList(), total);
    }

    public async Task<BinRequest?> GetRequestAsync(int binId, long requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.BinRequests.AsNoTracking().FirstOrDefaultAsync(r => r.BinId == binId && r.Id == requestId, cancellationToken);
        if (request is not null)
            Mask(request, await secrets.ReadAsync(cancellationToken));
        return request;
    }

    /// <returns>How many requests were removed, or null when there is no such bin.</returns>
    public async Task<int?> ClearRequestsAsync(int binId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.RequestBins.AnyAsync(b => b.Id == binId, cancellationToken))
            return null;
        var removed = await db.BinRequests.Where(r => r.BinId == binId).ExecuteDeleteAsync(cancellationToken);
        events.Publish(new BinEvent(BinEventKind.RequestsCleared, binId));
        return removed;
    }

    public async Task<RequestBin?> FindByTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RequestBins.AsNoTracking().FirstOrDefaultAsync(b => b.Token == token, cancellationToken);
    }

    /// <summary>Stores a request the bin received, its credentials masked, and announces it.</summary>
    public async Task<BinRequest> CaptureAsync(BinRequest request, CancellationToken cancellationToken = default)
    {
        Mask(request, await secrets.ReadAsync(cancellationToken));
        // Bins see a trickle of requests (a person testing), so a plain insert is enough; the receiver's group
        // commit exists for webhook bursts.
        await writes.AddAsync(request, cancellationToken);
        events.Publish(new BinEvent(BinEventKind.RequestReceived, request.BinId, request.Id));
        return request;
    }

    /// <summary>Credentials in headers, the query and the body keep only their last characters, when stored and when shown.</summary>
    private static void Mask(BinRequest request, KnownSecrets known)
    {
        request.Headers = System.Text.Json.JsonSerializer.Serialize(known.Headers(BinResponse.HeadersFrom(request.Headers)));
        request.QueryString = known.QueryString(request.QueryString);
        request.Body = known.Body(request.Body, body => BinBody.Text(body, request.Truncated));
    }

    private static void ValidateName(string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
            errors["name"] = ["Give the bin a name, e.g. \"CRM subscription test\"."];
        else if (name.Trim().Length > 200)
            errors["name"] = ["A name has at most 200 characters."];
    }

    private static void Apply(RequestBin bin, BinResponse response)
    {
        bin.ResponseStatus = response.Status;
        bin.ResponseContentType = response.ContentType.Trim();
        bin.ResponseHeaders = response.HeadersJson();
        bin.ResponseBody = response.Body;
    }

    /// <summary>192 random bits, URL-safe, like a source's receiver token.</summary>
    private static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));
}
