using Microsoft.EntityFrameworkCore;
using WebhookStudio.Features.Items;

namespace WebhookStudio.Data;

/// <summary>Searches that read the same on both providers.</summary>
public static class TextSearch
{
    /// <summary>
    /// Items whose external id is <paramref name="term"/>, or whose title or external id starts with it, ignoring ASCII
    /// case. Prefix matches use the indexes on Title and ExternalId; a contains match would scan every row. SQLite's
    /// LIKE ignores ASCII case and PostgreSQL's does not: ILIKE makes the search read the same on both.
    /// </summary>
    public static IQueryable<Item> MatchingIdOrPrefix(this IQueryable<Item> items, StudioDbContext db, string term)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsNpgsql()
            ? items.Where(i => i.ExternalId == term || EF.Functions.ILike(i.Title!, term + "%") || EF.Functions.ILike(i.ExternalId, term + "%"))
            : items.Where(i => i.ExternalId == term || EF.Functions.Like(i.Title!, term + "%") || EF.Functions.Like(i.ExternalId, term + "%"));
    }
}
