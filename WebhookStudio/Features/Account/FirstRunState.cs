using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Account;

/// <summary>
/// Whether the install still needs its first administrator. Once a user exists it never goes back, so the
/// answer is cached after the first "yes" and the check costs nothing on later requests.
/// </summary>
public sealed class FirstRunState(IDbContextFactory<StudioDbContext> contexts)
{
    private volatile bool hasUsers;

    /// <summary>Serialises first-admin creation so two browsers cannot both create "the first" admin.</summary>
    public SemaphoreSlim SetupLock { get; } = new(1, 1);

    public async Task<bool> NeedsFirstAdminAsync(CancellationToken cancellationToken = default)
    {
        if (hasUsers) return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        hasUsers = await db.Users.AnyAsync(cancellationToken);
        return !hasUsers;
    }

    public void MarkUserCreated() => hasUsers = true;
}
