using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;

namespace WebhookStudio.Api.Idempotency;

/// <summary>The outcome of presenting a key: run the request, replay the first answer, or refuse.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>This request is the first with the key and runs; <see cref="IdempotencyStore.CompleteAsync"/> or <see cref="IdempotencyStore.ReleaseAsync"/> follows.</summary>
    public sealed record Run(long RecordId) : IdempotencyClaim;

    public sealed record Replay(IdempotencyRecord Record) : IdempotencyClaim;

    /// <summary>The key was used with a different request.</summary>
    public sealed record Mismatch : IdempotencyClaim;

    /// <summary>The first request with the key is still running after waiting for it.</summary>
    public sealed record StillRunning : IdempotencyClaim;
}

public sealed class IdempotencyStore(IDbContextFactory<StudioDbContext> contexts, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>
    /// Answers are kept encrypted: some carry a secret shown only once (a new API key), which must not sit in the
    /// database in clear for a day.
    /// </summary>
    private readonly IDataProtector protector = protection.CreateProtector("WebhookStudio.IdempotentAnswers.v1");

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>How long a duplicate waits for the first request to finish before answering 409.</summary>
    public static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(10);

    /// <summary>A first request still "running" after this died with the server; its claim no longer counts.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<IdempotencyClaim> ClaimAsync(string principal, string key, string requestHash, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + WaitForFirst;
        var refusedInserts = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var existing = await db.IdempotencyKeys.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Principal == principal && r.Key == key, cancellationToken);
            if (existing is not null && (existing.CreatedAt < now - Window || !existing.IsCompleted && existing.CreatedAt < now - Abandoned))
            {
                // Expired but not purged yet, or its first request never finished (the server stopped): the key is free again.
                await db.IdempotencyKeys.Where(r => r.Id == existing.Id).ExecuteDeleteAsync(cancellationToken);
                existing = null;
            }
            if (existing is not null)
            {
                if (existing.RequestHash != requestHash) return new IdempotencyClaim.Mismatch();
                if (existing.IsCompleted)
                {
                    if (existing.ResponseBody is { Length: > 0 } body)
                        existing.ResponseBody = protector.Unprotect(body);
                    return new IdempotencyClaim.Replay(existing);
                }
                if (clock.GetUtcNow() >= deadline) return new IdempotencyClaim.StillRunning();
                await Task.Delay(PollInterval, cancellationToken);
                continue;
            }

            var record = new IdempotencyRecord { Principal = principal, Key = key, RequestHash = requestHash, CreatedAt = now };
            db.IdempotencyKeys.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new IdempotencyClaim.Run(record.Id);
            }
            catch (DbUpdateException) when (++refusedInserts < 3)
            {
                // A concurrent request with the same key inserted first (the unique index refused ours): look again.
                // Refused again and again with no such row to find, it is another failure and is thrown.
            }
        }
    }

    public async Task CompleteAsync(long recordId, int statusCode, string? contentType, string? location, byte[] body)
    {
        var stored = protector.Protect(body);
        await using var db = await contexts.CreateDbContextAsync();
        await db.IdempotencyKeys.Where(r => r.Id == recordId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.StatusCode, statusCode)
            .SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location)
            .SetProperty(r => r.ResponseBody, stored));
    }

    /// <summary>The request failed: nothing was created, so the key may be used again (with a corrected request).</summary>
    public async Task ReleaseAsync(long recordId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.IdempotencyKeys.Where(r => r.Id == recordId).ExecuteDeleteAsync();
    }

    /// <summary>The recurring purge: keys are remembered for 24 hours.</summary>
    public async Task<int> PurgeAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        var cutoff = clock.GetUtcNow().UtcDateTime - Window;
        return await db.IdempotencyKeys.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync();
    }
}
