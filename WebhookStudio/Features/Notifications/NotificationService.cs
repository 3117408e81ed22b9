using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Notifications;

/// <summary>The bell's list: notifications newest first, unread count, mark read.</summary>
public sealed class NotificationService(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    public async Task<(IReadOnlyList<Notification> Items, int Total)> ListAsync(bool unreadOnly, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var notifications = db.Notifications.AsNoTracking();
        if (unreadOnly) notifications = notifications.Where(n => n.ReadAt == null);
        var total = await notifications.CountAsync(cancellationToken);
        return (await notifications.OrderByDescending(n => n.Id).Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken), total);
    }

    public async Task<int> UnreadCountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.CountAsync(n => n.ReadAt == null, cancellationToken);
    }

    /// <returns>False when there is no such notification.</returns>
    public async Task<bool> MarkReadAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await db.Notifications.AnyAsync(n => n.Id == id, cancellationToken)) return false;
        await db.Notifications.Where(n => n.Id == id && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return true;
    }
}
