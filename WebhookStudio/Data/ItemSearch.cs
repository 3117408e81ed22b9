using Microsoft.EntityFrameworkCore;
using WebhookStudio.Features.Items;

namespace WebhookStudio.Data;

/// <summary>
/// The items whose title, external id or any value in their data contains a text, ignoring case: "Ada" finds
/// "Ada Lovelace" as a title and <c>{"customer": {"first_name": "Ada"}}</c>, never a field name. Each provider walks
/// the stored JSON with its own functions (SQLite's <c>json_tree</c>, PostgreSQL's <c>jsonb_path_query</c>); a
/// contains match reads every item of the scope, which the item counts of a studio afford.
/// </summary>
public static class ItemSearch
{
    public static IQueryable<Item> ItemsContaining(this StudioDbContext db, string text)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Both sides go through the database's lower(): Unicode-aware on PostgreSQL, ASCII-only on SQLite, where a
        // non-ASCII letter then matches as typed.
        return db.Database.IsNpgsql()
            ? db.Items.FromSql($$"""
                SELECT * FROM "Items" AS i
                WHERE strpos(lower(i."ExternalId"), lower({{text}})) > 0
                   OR strpos(lower(coalesce(i."Title", '')), lower({{text}})) > 0
                   OR EXISTS (SELECT 1 FROM jsonb_path_query(i."Data"::jsonb, 'strict $.**') AS v
                              WHERE jsonb_typeof(v) IN ('string', 'number', 'boolean') AND strpos(lower(v #>> '{}'), lower({{text}})) > 0)
                """)
            : db.Items.FromSql($$"""
                SELECT * FROM "Items" AS i
                WHERE instr(lower(i."ExternalId"), lower({{text}})) > 0
                   OR instr(lower(coalesce(i."Title", '')), lower({{text}})) > 0
                   OR (json_valid(i."Data") AND EXISTS (SELECT 1 FROM json_tree(i."Data") AS t
                                                       WHERE t.atom IS NOT NULL AND instr(lower(CAST(t.atom AS TEXT)), lower({{text}})) > 0))
                """);
    }
}
