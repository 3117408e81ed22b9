using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>A payload the receiver wants stored, and the answer it is waiting for.</summary>
internal sealed record PendingWrite(ReceivedPayload Payload, TaskCompletionSource<ReceivedPayload> Stored);

/// <summary>
/// Group commit: one writer takes every payload waiting at that moment and commits them in one
/// transaction (one fsync), then releases all their requests together. Durability per request, throughput
/// of a batch, and no lock held across anyone's I/O. The de-duplication check runs here too, because the
/// single writer sees every payload in order and two copies cannot slip past each other. With several
/// instances on one PostgreSQL database each instance has its own writer; their de-duplication checks take
/// turns per source through a transaction lock, so copies sent to two instances at once are still caught.
/// </summary>
public sealed partial class PayloadWriter(
    StudioDatabase database,
    DatabaseWriteGate writeGate,
    PayloadSignal signal,
    EventHub<StudioEvent> events,
    DatabaseWriteHealth health,
    IOptions<ReceiverOptions> options,
    TimeProvider clock,
    ILogger<PayloadWriter> logger) : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly Channel<PendingWrite> queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Completes once the payload is committed to disk, with its id and final outcome.</summary>
    public async Task<ReceivedPayload> StoreAsync(ReceivedPayload payload, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(payload, new TaskCompletionSource<ReceivedPayload>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(stoppingToken);
        var statements = new Statements(connection, database);

        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                await CommitAsync(statements, connection, batch, stoppingToken);
                health.Succeeded();
                foreach (var write in batch)
                    write.Stored.TrySetResult(write.Payload);
                signal.Received();
                // Only work for the processor wakes it: stored-only payloads (live stream off) would make it query for nothing.
                if (batch.Exists(write => write.Payload.Outcome == PayloadOutcome.Pending))
                    signal.Notify();
                foreach (var write in batch)
                    events.Publish(new StudioEvent(StudioEventKind.PayloadReceived, write.Payload.SourceId, write.Payload.Id));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCommitFailed(logger, ex, batch.Count);
                health.Failed(ex);
                foreach (var write in batch)
                    write.Stored.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private async Task CommitAsync(Statements sql, DbConnection connection, List<PendingWrite> batch, CancellationToken cancellationToken)
    {
        // Taking turns with the payload processor here, not inside SQLite, where a collision costs 150 ms sleeps.
        using var turn = await writeGate.EnterAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        sql.Enlist(transaction);
        if (database.IsShared)
            foreach (var sourceId in batch.Where(w => w.Payload.DedupValue is not null).Select(w => w.Payload.SourceId).Distinct().Order())
                await sql.LockDedupAsync(sourceId, cancellationToken);
        var since = clock.GetUtcNow().UtcDateTime - options.Value.DuplicateWindow;
        var seenInBatch = new Dictionary<(int, string), long>();
        var lastPerSource = new Dictionary<int, DateTime>();

        foreach (var write in batch)
        {
            var payload = write.Payload;
            if (payload.DedupValue is { } key && payload.Outcome != PayloadOutcome.Rejected)
            {
                var original = seenInBatch.TryGetValue((payload.SourceId, key), out var inBatch)
                    ? inBatch
                    : await sql.FindDuplicateAsync(payload.SourceId, key, since, cancellationToken);
                if (original is { } id)
                {
                    payload.Outcome = PayloadOutcome.Duplicate;
                    payload.DuplicateOfId = id;
                    payload.Reason = $"Duplicate of #{id} (same {key.Split('=')[0]} within {options.Value.DuplicateWindow.TotalHours:0} h): stored, not processed again.";
                }
            }

            payload.Id = await sql.InsertAsync(payload, cancellationToken);
            if (payload.DedupValue is { } seen && payload.Outcome != PayloadOutcome.Duplicate && payload.Outcome != PayloadOutcome.Rejected)
                seenInBatch.TryAdd((payload.SourceId, seen), payload.Id);
            lastPerSource[payload.SourceId] = payload.ReceivedAt;
        }

        // In id order: writers of two instances touching the same sources in different orders would deadlock.
        foreach (var (sourceId, at) in lastPerSource.OrderBy(s => s.Key))
            await sql.TouchSourceAsync(sourceId, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} payloads; their senders get 503 and will retry")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, int count);

    /// <summary>Statements reused for every batch; quoted names and @parameters read the same in SQLite and PostgreSQL.</summary>
    private sealed class Statements
    {
        private readonly StudioDatabase database;
        private readonly DbCommand insert, findDuplicate, touchSource, lockDedup;

        public Statements(DbConnection connection, StudioDatabase database)
        {
            this.database = database;
            insert = SqlCommands.Create(connection, """
                INSERT INTO "Payloads" ("SourceId", "ReceivedAt", "ContentType", "Headers", "RemoteAddress", "Size", "Body", "Outcome", "Reason", "DedupValue", "DuplicateOfId", "Created", "Updated", "Unchanged")
                VALUES (@source, @at, @type, @headers, @remote, @size, @body, @outcome, @reason, @dedup, @dupOf, 0, 0, 0)
                RETURNING "Id"
                """, "@source", "@at", "@type", "@headers", "@remote", "@size", "@body", "@outcome", "@reason", "@dedup", "@dupOf");
            findDuplicate = SqlCommands.Create(connection, """
                SELECT "Id" FROM "Payloads"
                WHERE "SourceId" = @source AND "DedupValue" = @dedup AND "ReceivedAt" >= @since AND "Outcome" NOT IN ('Duplicate', 'Rejected')
                ORDER BY "Id" LIMIT 1
                """, "@source", "@dedup", "@since");
            touchSource = SqlCommands.Create(connection, """UPDATE "Sources" SET "LastPayloadAt" = @at WHERE "Id" = @source""", "@at", "@source");
            // PostgreSQL only: waits while another instance's writer checks duplicates of the same source.
            lockDedup = SqlCommands.Create(connection, $"SELECT pg_advisory_xact_lock({(int)WorkLock.PayloadDedup}, @source)", "@source");
        }

        public void Enlist(DbTransaction transaction) =>
            insert.Transaction = findDuplicate.Transaction = touchSource.Transaction = lockDedup.Transaction = transaction;

        public async Task<long> InsertAsync(ReceivedPayload p, CancellationToken cancellationToken)
        {
            // By position, in the order of the statement: a lookup by name is a linear search, for every payload.
            var values = insert.Parameters;
            values[0].Value = p.SourceId;
            values[1].Value = database.Timestamp(p.ReceivedAt);
            values[2].Value = p.ContentType;
            values[3].Value = p.Headers;
            values[4].Value = (object?)p.RemoteAddress ?? DBNull.Value;
            values[5].Value = p.Size;
            values[6].Value = p.Body;
            values[7].Value = p.Outcome.ToString();
            values[8].Value = (object?)p.Reason ?? DBNull.Value;
            values[9].Value = (object?)p.DedupValue ?? DBNull.Value;
            values[10].Value = (object?)p.DuplicateOfId ?? DBNull.Value;
            return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<long?> FindDuplicateAsync(int sourceId, string key, DateTime since, CancellationToken cancellationToken)
        {
            findDuplicate.Parameters["@source"].Value = sourceId;
            findDuplicate.Parameters["@dedup"].Value = key;
            findDuplicate.Parameters["@since"].Value = database.Timestamp(since);
            return await findDuplicate.ExecuteScalarAsync(cancellationToken) as long?;
        }

        public async Task TouchSourceAsync(int sourceId, DateTime at, CancellationToken cancellationToken)
        {
            touchSource.Parameters["@at"].Value = database.Timestamp(at);
            touchSource.Parameters["@source"].Value = sourceId;
            await touchSource.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task LockDedupAsync(int sourceId, CancellationToken cancellationToken)
        {
            lockDedup.Parameters["@source"].Value = sourceId;
            await lockDedup.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Wakes the payload processor when new work was committed, instead of polling, and tells it whether payloads are arriving.</summary>
public sealed class PayloadSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);
    private long lastReceivedAt = long.MinValue / 2;

    /// <summary>The receiver committed payloads (pending or not): senders are at it.</summary>
    public void Received() => Volatile.Write(ref lastReceivedAt, Environment.TickCount64);

    public bool ReceivedWithin(TimeSpan window) => Environment.TickCount64 - Volatile.Read(ref lastReceivedAt) < (long)window.TotalMilliseconds;

    public void Notify()
    {
        try { signal.Release(); }
        catch (SemaphoreFullException) { /* already signalled: the processor will look once more anyway */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}
