using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Access;

public sealed record NewApiKey(string Name, string Role, DateTime? ExpiresAt);

/// <summary>The key in clear, returned only once, beside what is stored.</summary>
public sealed record CreatedApiKey(ApiKey Record, string Key);

public sealed class ApiKeyService(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    public const string KeyPrefix = "whs_";

    /// <summary>Roles an API key may have when created in the UI or API; Admin keys come only from configuration.</summary>
    public static readonly IReadOnlyList<string> AssignableRoles = [StudioRoles.Editor, StudioRoles.Tester];

    /// <summary>Writing "last used" on every request would make each API read a write; once a minute is plenty.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public static Dictionary<string, string[]> Validate(NewApiKey request, DateTime now, bool allowAdmin = false)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["Give the key a name, e.g. the system that will use it."];
        else if (request.Name.Length > 100)
            errors["name"] = ["A name has at most 100 characters."];
        if (!(AssignableRoles.Contains(request.Role) || (allowAdmin && request.Role == StudioRoles.Admin)))
            errors["role"] = [$"Role must be one of: {string.Join(", ", AssignableRoles)}."];
        if (request.ExpiresAt is { } expires && expires <= now)
            errors["expiresAt"] = ["The expiry must be in the future."];
        return errors;
    }

    public async Task<CreatedApiKey> CreateAsync(NewApiKey request, string? createdBy, CancellationToken cancellationToken = default, bool allowAdmin = false)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = Validate(request, now, allowAdmin);
        if (errors.Count > 0)
            throw new ValidationException(errors);

        var key = KeyPrefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var record = await AddAsync(request, key, createdBy, now, cancellationToken);
        return new CreatedApiKey(record, key);
    }

    /// <summary>Stores a key chosen outside the studio (the bootstrap key from configuration).</summary>
    public Task<ApiKey> ImportAsync(NewApiKey request, string key, CancellationToken cancellationToken = default) =>
        AddAsync(request, key, "configuration", clock.GetUtcNow().UtcDateTime, cancellationToken);

    private async Task<ApiKey> AddAsync(NewApiKey request, string key, string? createdBy, DateTime now, CancellationToken cancellationToken)
    {
        var record = new ApiKey
        {
            Name = request.Name.Trim(),
            Role = request.Role,
            Prefix = key[..Math.Min(key.Length, KeyPrefix.Length + 6)],
            Hash = HashOf(key),
            CreatedAt = now,
            CreatedBy = createdBy,
            ExpiresAt = request.ExpiresAt,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <returns>False when there is no such key.</returns>
    public async Task<bool> RevokeAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(k => k.RevokedAt, k => k.RevokedAt ?? now), cancellationToken);
        return found > 0;
    }

    /// <summary>The usable key matching <paramref name="key"/>, or null (unknown, revoked or expired).</summary>
    public async Task<ApiKey?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal))
            return null;
        var hash = HashOf(key);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (record is null || !record.IsUsableAt(now))
            return null;

        if (record.LastUsedAt is null || now - record.LastUsedAt > LastUsedResolution)
            await db.ApiKeys.Where(k => k.Id == record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        return record;
    }

    /// <summary>Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force.</summary>
    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
