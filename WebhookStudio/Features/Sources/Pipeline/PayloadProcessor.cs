using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Pipeline;

/// <summary>
/// Turns pending payloads into items, in arrival order, in batches: filter, extract the entities, upsert the
/// items with their field-level changes, record the outcome, then announce what changed. The table is the
/// queue, so whatever was pending when the process stopped is picked up at the next start, and running a
/// payload twice changes nothing the second time (an identical entity is "unchanged").
/// </summary>
public sealed partial class PayloadProcessor(
    IDbContextFactory<StudioDbContext> contexts,
    WorkClaims claims,
    PayloadSignal signal,
    EventHub<StudioEvent> events,
    DeliveryFanOut fanOut,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<ReceiverOptions> options,
    ILogger<PayloadProcessor> logger) : BackgroundService
{
    /// <summary>
    /// Small while webhook senders are waiting for the database: the receiver's group commit waits for this batch's
    /// write (one SQLite writer), so its size bounds the latency senders see while a backlog drains.
    /// </summary>
    private const int BatchWhileBusy = 16;

    /// <summary>
    /// When nobody waited for the database lately, a larger batch spreads the per-batch queries and the commit over
    /// more payloads, so a backlog drains faster. Bounded so that a batch of large bodies (up to
    /// <c>Receiver:MaxBodyBytes</c> each) stays a modest amount of memory.
    /// </summary>
    private const int BatchWhenQuiet = 64;

    private static readonly TimeSpan BusyWindow = TimeSpan.FromSeconds(1);

    /// <summary>Senders count as active while the receiver committed payloads this recently (it commits every few milliseconds under load).</summary>
    private static readonly TimeSpan SendersActiveWindow = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pacing = new ProcessorPacing();
        while (!stoppingToken.IsCancellationRequested)
        {
            int processed;
            try
            {
                var started = Stopwatch.GetTimestamp();
                processed = await ProcessBatchAsync(stoppingToken);
                if (processed > 0)
                    await pacing.RestAfterBatchAsync(Stopwatch.GetElapsedTime(started), signal.ReceivedWithin(SendersActiveWindow), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBatchFailed(logger, ex);
                processed = 0;
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            if (processed == 0)
                await signal.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);
        }
    }

    /// <returns>How many payloads were processed (0 when none was pending).</returns>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // With several instances on one database, the claim makes each source's payloads this instance's alone
        // until the batch is committed; with SQLite it is a no-op.
        await using var claim = await claims.BeginAsync(db, cancellationToken);
        var batchSize = claim.WriteTurnBusyWithin(BusyWindow) ? BatchWhileBusy : BatchWhenQuiet;
        var payloads = await PendingPayloads.TakeAsync(db, claim, batchSize, cancellationToken);
        if (payloads.Count == 0)
            return 0;

        var sourceIds = payloads.Select(p => p.SourceId).Distinct().ToList();
        var plans = (await db.Sources.AsNoTracking().Where(s => sourceIds.Contains(s.Id)).ToListAsync(cancellationToken))
            .ToDictionary(s => s.Id, SourcePlan.For);

        var extracted = payloads.Select(p => (Payload: p, Work: Prepare(p, plans.GetValueOrDefault(p.SourceId), options.Value.MaxEntitiesPerPayload))).ToList();
        var items = await LoadItemsAsync(db, extracted.SelectMany(e => e.Work.Entities.Select(x => (e.Payload.SourceId, x.ExternalId!))), cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var writes = new ItemWrites();
        var announcements = new List<(ItemChange Change, int SourceId)>();
        foreach (var (payload, work) in extracted)
        {
            payload.ProcessedAt = now;
            if (work.Outcome is { } final)
            {
                payload.Outcome = final;
                payload.Reason = work.Reason;
                continue;
            }

            int created = 0, updated = 0, unchanged = 0;
            foreach (var entity in work.Entities)
            {
                var change = Upsert(writes, items, payload, entity, plans[payload.SourceId].FetchMode, now);
                switch (change?.Kind)
                {
                    case ChangeKind.Created: created++; break;
                    case ChangeKind.Updated: updated++; break;
                    default: unchanged++; break;
                }
                if (change is not null)
                    announcements.Add((change, payload.SourceId));
            }
            payload.Outcome = PayloadOutcome.Processed;
            payload.Created = created;
            payload.Updated = updated;
            payload.Unchanged = unchanged;
            payload.Reason = Summary(created, updated, unchanged, work.Reason);
        }

        // The outbox: deliveries for these activities commit in the same transaction as the activities.
        var outbox = await fanOut.PlanAsync(db, payloads,
            announcements.Select(a => new DeliveryFanOut.ItemActivity(a.Change, a.Change.Item!, a.SourceId)), cancellationToken);

        // Only the write takes turns with the receiver; reading and preparing above ran beside it (WAL).
        await claim.CompleteAsync(() => writes.SaveAsync(db, payloads, outbox.Deliveries, cancellationToken), cancellationToken);
        outbox.Dispatch();

        foreach (var (change, sourceId) in announcements)
            events.Publish(new StudioEvent(change.Kind == ChangeKind.Created ? StudioEventKind.ItemCreated : StudioEventKind.ItemUpdated,
                sourceId, change.PayloadId, change.ItemId, change.Id));
        foreach (var payload in payloads)
            events.Publish(new StudioEvent(StudioEventKind.PayloadProcessed, payload.SourceId, payload.Id));
        return payloads.Count;
    }

    private sealed record Work(IReadOnlyList<ExtractedEntity> Entities, PayloadOutcome? Outcome, string? Reason);

    private static Work Prepare(ReceivedPayload payload, SourcePlan? plan, int maxEntities)
    {
        if (plan is null)
            return new Work([], PayloadOutcome.Failed, "The source no longer exists.");
        if (plan.SetupError is not null)
            return new Work([], PayloadOutcome.Stored, "Stored only: " + plan.SetupError);

        var read = PayloadDocument.Read(payload.ContentType, payload.Body);
        if (!read.IsSuccess)
            return new Work([], PayloadOutcome.Failed, read.Error);
        var document = read.Value;

        var verdict = FilterEvaluator.Evaluate(plan.Filter, document);
        if (!verdict.Passed)
            return new Work([], PayloadOutcome.Filtered, verdict.Reason);

        var entities = EntityMapper.Extract(plan.Mapping, document);
        if (entities.Count == 0)
            return new Work([], PayloadOutcome.Failed, $"No entity found at '{plan.Mapping.EntityPath}'.");
        if (entities.Count > maxEntities)
            return new Work([], PayloadOutcome.Failed,
                $"{entities.Count:N0} entities found at '{plan.Mapping.EntityPath}', more than the {maxEntities:N0} one payload may create or update (setting Receiver:MaxEntitiesPerPayload); nothing was changed.");

        var good = entities.Where(e => e.IsValid).ToList();
        var failures = entities.Where(e => !e.IsValid).Select(e => e.Error).Distinct().ToList();
        var failureText = failures.Count == 0 ? null
            : $"{entities.Count - good.Count} of {entities.Count} entities skipped: {string.Join(" ", failures)}";
        return good.Count == 0
            ? new Work([], PayloadOutcome.Failed, failureText)
            : new Work(good, null, failureText);
    }

    private static async Task<Dictionary<(int, string), Item>> LoadItemsAsync(
        StudioDbContext db, IEnumerable<(int SourceId, string ExternalId)> keys, CancellationToken cancellationToken)
    {
        var items = new Dictionary<(int, string), Item>();
        foreach (var group in keys.Distinct().GroupBy(k => k.SourceId))
        {
            var sourceId = group.Key;
            foreach (var chunk in group.Select(k => k.ExternalId).Chunk(500))
            {
                var found = await db.Items.AsNoTracking().Where(i => i.SourceId == sourceId && chunk.Contains(i.ExternalId)).ToListAsync(cancellationToken);
                foreach (var item in found)
                    items[(sourceId, item.ExternalId)] = item;
            }
        }
        return items;
    }

    /// <returns>The change recorded, or null when the item already held exactly this data.</returns>
    private static ItemChange? Upsert(ItemWrites writes, Dictionary<(int, string), Item> items, ReceivedPayload payload,
                                      ExtractedEntity entity, FetchMode mode, DateTime now)
    {
        var key = (payload.SourceId, entity.ExternalId!);
        var data = entity.Data.ToString(Formatting.None);
        if (!items.TryGetValue(key, out var item))
        {
            item = new Item
            {
                SourceId = payload.SourceId, ExternalId = entity.ExternalId!, Title = Truncate(entity.Title),
                Data = data, CreatedAt = now, UpdatedAt = now,
            };
            items[key] = item;
            writes.Created.Add(item);
            return writes.Record(item, ChangeKind.Created, JsonDiff.Diff(null, entity.Data), payload.Id, now);
        }

        // "Build new" never overwrites an item that exists: the first payload with that id made it.
        if (mode == FetchMode.New)
            return null;

        var fields = JsonDiff.Diff(ReadStored(item.Data), entity.Data);
        var title = Truncate(entity.Title);
        if (fields.Count == 0 && title == item.Title)
            return null;

        item.Data = data;
        item.Title = title;
        item.UpdatedAt = now;
        item.Version++;
        // An item created earlier in this batch is inserted with its latest data; one from the database is updated.
        if (item.Id != 0)
            writes.Updated.Add(item);
        return writes.Record(item, ChangeKind.Updated, fields, payload.Id, now);
    }

    /// <summary>
    /// What a batch writes, kept as plain objects and written with <see cref="RowWriter"/>: EF Core's <c>SaveChanges</c>
    /// (change tracking, one command per row) would be most of a batch's time.
    /// </summary>
    private sealed class ItemWrites
    {
        private static readonly string[] ItemColumns = [nameof(Item.Data), nameof(Item.Title), nameof(Item.UpdatedAt), nameof(Item.Version)];
        private static readonly string[] OutcomeColumns =
        [
            nameof(ReceivedPayload.Outcome), nameof(ReceivedPayload.Reason), nameof(ReceivedPayload.ProcessedAt),
            nameof(ReceivedPayload.Created), nameof(ReceivedPayload.Updated), nameof(ReceivedPayload.Unchanged),
        ];

        public List<Item> Created { get; } = [];
        public HashSet<Item> Updated { get; } = new(ReferenceEqualityComparer.Instance);
        private readonly List<ItemChange> changes = [];

        public ItemChange Record(Item item, ChangeKind kind, IReadOnlyList<FieldChange> fields, long payloadId, DateTime now)
        {
            var change = new ItemChange { Item = item, Kind = kind, Fields = FieldsJson(fields), PayloadId = payloadId, At = now };
            changes.Add(change);
            return change;
        }

        /// <summary>In the caller's transaction: new items first, so their changes and deliveries can refer to their ids.</summary>
        public async Task SaveAsync(StudioDbContext db, IReadOnlyCollection<ReceivedPayload> payloads, IReadOnlyList<Delivery> deliveries,
                                    CancellationToken cancellationToken)
        {
            await RowWriter.InsertAsync(db, Created, cancellationToken);
            await RowWriter.UpdateAsync(db, Updated, ItemColumns, cancellationToken);
            foreach (var change in changes)
                change.ItemId = change.Item!.Id;
            await RowWriter.InsertAsync(db, changes, cancellationToken);
            await RowWriter.UpdateAsync(db, payloads, OutcomeColumns, cancellationToken);
            foreach (var delivery in deliveries)
            {
                delivery.ItemId = delivery.Item?.Id ?? delivery.ItemId;
                delivery.ItemChangeId = delivery.ItemChange?.Id ?? delivery.ItemChangeId;
            }
            await RowWriter.InsertAsync(db, deliveries, cancellationToken);
        }
    }

    /// <summary>The stable JSON form of field changes: <c>[{"path","old","new"}]</c>, values as the sender wrote them.</summary>
    public static string FieldsJson(IReadOnlyList<FieldChange> fields) =>
        new JArray(fields.Select(f => new JObject { ["path"] = f.Path, ["old"] = f.Old?.DeepClone(), ["new"] = f.New?.DeepClone() }))
            .ToString(Formatting.None);

    /// <summary>Reads stored item data with the same settings as payloads, so dates stay strings and numbers stay exact.</summary>
    private static JToken ReadStored(string json) => JsonBody.ReadStored(json);

    private static string? Truncate(string? title) => title is { Length: > 1000 } ? title[..1000] : title;

    private static string Summary(int created, int updated, int unchanged, string? skipped)
    {
        var text = $"{created} created, {updated} updated, {unchanged} unchanged.";
        return skipped is null ? text : text + " " + skipped;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing a batch of payloads failed; it will be retried")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex);
}
