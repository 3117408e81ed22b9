using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Items;

public enum ItemSort { UpdatedDesc, UpdatedAsc, CreatedDesc, CreatedAsc, TitleAsc, TitleDesc, ExternalIdAsc, ExternalIdDesc }

public sealed record ItemQuery(int? SourceId, string? Search, ItemSort Sort = ItemSort.UpdatedDesc);

/// <param name="SubscriptionNames">The subscriptions whose answers wrote some of the changes, by id.</param>
public sealed record ItemDetail(Item Item, IReadOnlyList<ItemChange> Changes, IReadOnlyDictionary<int, string>? SubscriptionNames = null);

/// <summary>One change with enough of its item (and of the subscription that wrote it, if one did) to show and link it in an activity list.</summary>
public sealed record ActivityEntry(ItemChange Change, int SourceId, string ExternalId, string? Title, string? SubscriptionName = null);

/// <summary>Reading and erasing items, for the UI and the API alike.</summary>
public sealed class ItemService(IDbContextFactory<StudioDbContext> contexts, EventHub<StudioEvent> events, TimeProvider clock)
{
    public async Task<(IReadOnlyList<Item> Items, int Total)> ListAsync(ItemQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = (string.IsNullOrWhiteSpace(query.Search) ? db.Items : db.ItemsContaining(query.Search.Trim())).AsNoTracking();
        if (query.SourceId is { } sourceId) items = items.Where(i => i.SourceId == sourceId);
        var total = await items.CountAsync(cancellationToken);
        items = query.Sort switch
        {
            ItemSort.UpdatedAsc => items.OrderBy(i => i.UpdatedAt).ThenBy(i => i.Id),
            // Items are numbered as they are created, so the key orders by creation without an index of its own.
            ItemSort.CreatedDesc => items.OrderByDescending(i => i.Id),
            ItemSort.CreatedAsc => items.OrderBy(i => i.Id),
            ItemSort.TitleAsc => items.OrderBy(i => i.Title).ThenBy(i => i.Id),
            ItemSort.TitleDesc => items.OrderByDescending(i => i.Title).ThenByDescending(i => i.Id),
            ItemSort.ExternalIdAsc => items.OrderBy(i => i.ExternalId).ThenBy(i => i.Id),
            ItemSort.ExternalIdDesc => items.OrderByDescending(i => i.ExternalId).ThenByDescending(i => i.Id),
            _ => items.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id),
        };
        return (await items.Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken), total);
    }

    /// <summary>Item changes, newest first: a source's activity, or everything when no source is given.</summary>
    public async Task<(IReadOnlyList<ActivityEntry> Items, int Total)> ListChangesAsync(int? sourceId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changes = db.ItemChanges.AsNoTracking();
        if (sourceId is { } id) changes = changes.Where(c => c.Item!.SourceId == id);
        var total = await changes.CountAsync(cancellationToken);
        var entries = await changes.OrderByDescending(c => c.Id).Skip(page.Skip).Take(page.Size)
            .Select(c => new ActivityEntry(c, c.Item!.SourceId, c.Item.ExternalId, c.Item.Title,
                db.Subscriptions.Where(s => s.Id == c.SubscriptionId).Select(s => s.Name).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return (entries, total);
    }

    /// <summary>What one payload did to items, for the payload's page.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> ChangesCausedByAsync(long payloadId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ItemChanges.AsNoTracking().Where(c => c.PayloadId == payloadId).OrderBy(c => c.Id)
            .Select(c => new ActivityEntry(c, c.Item!.SourceId, c.Item.ExternalId, c.Item.Title))
            .ToListAsync(cancellationToken);
    }

    public async Task<ItemDetail?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null) return null;
        var changes = await db.ItemChanges.AsNoTracking().Where(c => c.ItemId == id).OrderByDescending(c => c.Id).ToListAsync(cancellationToken);
        var writers = changes.Select(c => c.SubscriptionId).OfType<int>().Distinct().ToList();
        var names = writers.Count == 0 ? [] : await db.Subscriptions.AsNoTracking().Where(s => writers.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return new ItemDetail(item, changes, names);
    }

    /// <summary>
    /// Payloads that carry the item without having changed it (identical re-sends, duplicates, filtered or
    /// rejected copies) are found by running the source's mapping over its stored payloads: erasure must not
    /// leave a copy of the person's data behind. Retention keeps that scan bounded.
    /// </summary>
    private static async Task<List<long>> PayloadsCarryingAsync(StudioDbContext db, Item item, CancellationToken cancellationToken)
    {
        var found = new List<long>();
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == item.SourceId, cancellationToken);
        if (source is null || string.IsNullOrEmpty(source.IdPath) || !EntityMapper.Validate(source.Mapping).IsValid)
            return found;
        var payloads = db.Payloads.AsNoTracking().Where(p => p.SourceId == item.SourceId)
            .Select(p => new { p.Id, p.ContentType, p.Body }).AsAsyncEnumerable();
        await foreach (var payload in payloads.WithCancellation(cancellationToken))
        {
            var read = PayloadDocument.Read(payload.ContentType, payload.Body);
            if (read.IsSuccess && EntityMapper.Extract(source.Mapping, read.Value).Any(e => e.ExternalId == item.ExternalId))
                found.Add(payload.Id);
        }
        return found;
    }

    /// <summary>
    /// For erasure requests: removes the item, its history and every stored payload that carried it, and
    /// leaves an audit line that says what was erased without the erased data.
    /// </summary>
    /// <returns>False when there is no such item.</returns>
    public async Task<bool> EraseAsync(long id, string? actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null) return false;

        var payloadIds = await db.ItemChanges.Where(c => c.ItemId == id && c.PayloadId != null)
            .Select(c => c.PayloadId!.Value).ToListAsync(cancellationToken);
        payloadIds = payloadIds.Concat(await PayloadsCarryingAsync(db, item, cancellationToken)).Distinct().ToList();
        var changes = await db.ItemChanges.Where(c => c.ItemId == id).ExecuteDeleteAsync(cancellationToken);
        var payloads = 0;
        foreach (var chunk in payloadIds.Chunk(500))
            payloads += await db.Payloads.Where(p => chunk.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.Items.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken);

        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = "item.erased",
            Details = $"Item #{id} of source {item.SourceId} erased with {changes} change record(s) and {payloads} payload(s).",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        events.Publish(new StudioEvent(StudioEventKind.ItemDeleted, item.SourceId, ItemId: id));
        return true;
    }
}
