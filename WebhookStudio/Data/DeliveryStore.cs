using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Data;

/// <summary>A delivery's row after an attempt was recorded on it.</summary>
public sealed record RecordedAttempt(DeliveryStatus Status, int SubscriptionId);

/// <summary>
/// What one commit of the delivery writer can do, in the words of deliveries; how it is written (statements, the
/// provider's forms of values) is the store's. Each statement reads the delivery's state in the database as it changes
/// it, so a cancellation or another instance's write in between is respected.
/// </summary>
public interface IDeliveryTransaction
{
    /// <summary>The commit's time, from the writer's clock: leases are judged against it.</summary>
    DateTime Now { get; }

    /// <summary>For changes made through EF Core (subscriptions' counters, deactivation); saved with the commit.</summary>
    StudioDbContext Context { get; }

    /// <summary>
    /// Takes the lease of a pending delivery whose lease is free, ran out, or is <paramref name="held"/> by the caller.
    /// Two claims of one delivery in one commit: the first wins, as it would across commits.
    /// </summary>
    Task<bool> ClaimAsync(long deliveryId, DateTime until, DateTime? held, CancellationToken cancellationToken);

    Task ReleaseAsync(long deliveryId, CancellationToken cancellationToken);

    /// <summary>Moves a delivery that is still pending to <paramref name="to"/> (cancelled, buffered) without an attempt.</summary>
    /// <returns>The delivery's subscription when it was moved; null when it was no longer pending (or is gone).</returns>
    Task<int?> MarkAsync(long deliveryId, DeliveryStatus to, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt on the delivery and stores the attempt itself. A delivery cancelled or buffered while it was
    /// on the wire keeps that status, unless the answer was a success, which still counts.
    /// </summary>
    /// <param name="status">Pending (a retry at <paramref name="nextAttemptAt"/>), Delivered or Failed.</param>
    /// <returns>The delivery's status now and its subscription; null when the delivery no longer exists.</returns>
    Task<RecordedAttempt?> RecordAttemptAsync(long deliveryId, SendResult result, DeliveryStatus status, DateTime? nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>The subscription's run of failures, if it had one, is over.</summary>
    Task ResetFailuresAsync(int subscriptionId, CancellationToken cancellationToken);

    /// <summary>The subscriptions, tracked: what the caller changes on them is saved with the commit.</summary>
    Task<Dictionary<int, Subscription>> SubscriptionsAsync(IReadOnlyCollection<int> subscriptionIds, CancellationToken cancellationToken);
}

/// <summary>
/// Where the delivery writer's commits are written. Each commit takes its turn at <see cref="DatabaseWriteGate"/>
/// (one SQLite writer at a time), runs in one transaction, and does not wait for the disk to confirm it: with SQLite
/// on a connection of its own with <c>synchronous = NORMAL</c> (WAL mode), with PostgreSQL with
/// <c>synchronous_commit = off</c>. What the writer records is a lease, an attempt and a delivery's new state: a
/// process crash loses none of it (the OS has the writes), a power cut at worst its last moments, after which those
/// deliveries are pending again and are sent once more with the same <c>webhook-id</c>, as after a crash mid-send.
/// Waiting for the disk on every commit would bound how fast a subscription's slots send. Webhook senders' payloads
/// and everything the API and UI write keep full durability: they use other connections.
/// </summary>
/// <remarks>
/// One caller at a time (the writer's loop). The SQLite context is the store's for as long as its connection lives
/// (not pooled: a pooled context would keep the connection when given back), so no commit builds a context; after a
/// failed commit it is opened anew. PostgreSQL's pools cope with broken connections, so there each commit takes a
/// pooled context.
/// </remarks>
public sealed class DeliveryStore(
    IDbContextFactory<StudioDbContext> contexts,
    DbContextOptions<StudioDbContext> contextOptions,
    StudioDatabase database,
    DatabaseWriteGate writeGate,
    TimeProvider clock) : IAsyncDisposable
{
    private StudioDbContext? own;

    /// <summary>Runs <paramref name="write"/> in one transaction and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<IDeliveryTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!database.IsShared)
            own ??= await OpenSqliteContextAsync(cancellationToken);
        await using var pooled = own is null ? await contexts.CreateDbContextAsync(cancellationToken) : null;
        var db = own ?? pooled!;
        try
        {
            using var turn = await writeGate.EnterAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (database.IsShared)
                await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", cancellationToken);
            await using var statements = new Transaction(db, transaction.GetDbTransaction(), database, clock.GetUtcNow().UtcDateTime);
            var result = await write(statements);
            await statements.FlushAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch
        {
            if (own is not null)
                await own.DisposeAsync();
            own = null;
            throw;
        }
        finally
        {
            // The own context lives on: nothing it loaded for this commit (subscriptions after a failure) stays tracked.
            own?.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// A send of the Test button: its delivery (marked as a test, already settled) and its attempts, in one commit with
    /// full durability, beside the writer's commits.
    /// </summary>
    public async Task<long> AddSettledAsync(Delivery delivery, IReadOnlyList<SendResult> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        using var turn = await writeGate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        db.DeliveryAttempts.AddRange(attempts.Select(a => DeliveryAttempt.Of(delivery.Id, a)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return delivery.Id;
    }

    /// <summary>Expires the buffered deliveries created before <paramref name="before"/>, with the reason as their last error.</summary>
    /// <returns>How many expired.</returns>
    public async Task<int> ExpireBufferedAsync(DateTime before, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        using var turn = await writeGate.EnterAsync(cancellationToken);
        return await db.Deliveries.Where(d => d.Status == DeliveryStatus.Buffered && d.CreatedAt < before)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Expired)
                .SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LastError, reason),
                cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (own is not null)
            await own.DisposeAsync();
        own = null;
    }

    private async Task<StudioDbContext> OpenSqliteContextAsync(CancellationToken cancellationToken)
    {
        var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        var db = database.CreateContext(contextOptions);
        db.Database.SetDbConnection(connection, contextOwnsConnection: true);
        return db;
    }

    /// <summary>
    /// The statements of one commit, prepared on first use and reused for each operation: no query loads the deliveries
    /// first, as EF Core's per-query work would be most of the writer's CPU. Values are stored as EF Core stores them
    /// (enums by name, times via <see cref="StudioDatabase.Timestamp"/>).
    /// </summary>
    private sealed class Transaction(StudioDbContext db, DbTransaction transaction, StudioDatabase database, DateTime now) : IDeliveryTransaction, IAsyncDisposable
    {
        private const string Pending = nameof(DeliveryStatus.Pending);
        private readonly object nowValue = database.Timestamp(now);
        private readonly List<DeliveryAttempt> attempts = [];
        private DbCommand? claim, settle, release, mark, resetFailures;

        public DateTime Now => now;

        public StudioDbContext Context => db;

        public async Task<bool> ClaimAsync(long deliveryId, DateTime until, DateTime? held, CancellationToken cancellationToken)
        {
            claim ??= Prepare($"""
                UPDATE "Deliveries" SET "LeaseUntil" = @until
                WHERE "Id" = @id AND "Status" = '{Pending}' AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now OR "LeaseUntil" = @held)
                """, "@until", "@id", "@now", "@held");
            Bind(claim, database.Timestamp(until), deliveryId, nowValue, held is { } heldUntil ? database.Timestamp(heldUntil) : null);
            return await claim.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        public async Task<RecordedAttempt?> RecordAttemptAsync(long deliveryId, SendResult result, DeliveryStatus status, DateTime? nextAttemptAt,
                                                                CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(result);
            settle ??= Prepare($"""
                UPDATE "Deliveries" SET
                    "AttemptCount" = "AttemptCount" + 1, "LastAttemptAt" = @at, "LastError" = @error, "LastFailure" = @failure,
                    "LastStatusCode" = @code, "LeaseUntil" = NULL,
                    "Status" = CASE WHEN "Status" = '{Pending}' OR @succeeded = 1 THEN @status ELSE "Status" END,
                    "NextAttemptAt" = CASE WHEN "Status" = '{Pending}' OR @succeeded = 1 THEN @next ELSE "NextAttemptAt" END,
                    "CompletedAt" = CASE WHEN ("Status" = '{Pending}' OR @succeeded = 1) AND @completes = 1 THEN @now ELSE "CompletedAt" END
                WHERE "Id" = @id
                RETURNING "Status", "SubscriptionId"
                """, "@at", "@error", "@failure", "@code", "@succeeded", "@status", "@next", "@completes", "@now", "@id");
            Bind(settle, database.Timestamp(result.At), result.Error, result.Failure.ToString(), result.Response?.StatusCode,
                result.Succeeded ? 1 : 0, status.ToString(),
                status == DeliveryStatus.Pending && nextAttemptAt is { } next ? database.Timestamp(next) : null,
                status is DeliveryStatus.Delivered or DeliveryStatus.Failed ? 1 : 0, nowValue, deliveryId);
            RecordedAttempt? recorded;
            await using (var reader = await settle.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                    return null;
                recorded = new RecordedAttempt(Enum.Parse<DeliveryStatus>(reader.GetString(0)), reader.GetInt32(1));
            }
            attempts.Add(DeliveryAttempt.Of(deliveryId, result));
            return recorded;
        }

        public async Task ReleaseAsync(long deliveryId, CancellationToken cancellationToken)
        {
            release ??= Prepare("""UPDATE "Deliveries" SET "LeaseUntil" = NULL WHERE "Id" = @id""", "@id");
            Bind(release, deliveryId);
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<int?> MarkAsync(long deliveryId, DeliveryStatus to, string? reason, CancellationToken cancellationToken)
        {
            mark ??= Prepare($"""
                UPDATE "Deliveries" SET "Status" = @to, "NextAttemptAt" = NULL, "LeaseUntil" = NULL,
                    "LastError" = CASE WHEN @hasReason = 1 THEN @reason ELSE "LastError" END,
                    "CompletedAt" = CASE WHEN @completes = 1 THEN @now ELSE "CompletedAt" END
                WHERE "Id" = @id AND "Status" = '{Pending}'
                RETURNING "SubscriptionId"
                """, "@to", "@hasReason", "@reason", "@completes", "@now", "@id");
            Bind(mark, to.ToString(), reason is null ? 0 : 1, reason ?? "", to == DeliveryStatus.Cancelled ? 1 : 0, nowValue, deliveryId);
            await using var reader = await mark.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? reader.GetInt32(0) : null;
        }

        public async Task ResetFailuresAsync(int subscriptionId, CancellationToken cancellationToken)
        {
            resetFailures ??= Prepare("""
                UPDATE "Subscriptions" SET "ConsecutiveFailures" = 0, "FailingSince" = NULL
                WHERE "Id" = @id AND ("ConsecutiveFailures" <> 0 OR "FailingSince" IS NOT NULL)
                """, "@id");
            Bind(resetFailures, subscriptionId);
            await resetFailures.ExecuteNonQueryAsync(cancellationToken);
        }

        public Task<Dictionary<int, Subscription>> SubscriptionsAsync(IReadOnlyCollection<int> subscriptionIds, CancellationToken cancellationToken) =>
            db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);

        /// <summary>Writes the attempts recorded and the EF Core changes, before the commit.</summary>
        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            await RowWriter.InsertAsync(db, attempts, cancellationToken);
            if (db.ChangeTracker.HasChanges())
                await db.SaveChangesAsync(cancellationToken);
        }

        private DbCommand Prepare(string sql, params string[] parameters)
        {
            var command = SqlCommands.Create(db.Database.GetDbConnection(), sql, parameters);
            command.Transaction = transaction;
            return command;
        }

        /// <summary>By position, in the order of the statement's parameter names.</summary>
        private static void Bind(DbCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { claim, settle, release, mark, resetFailures })
                if (command is not null)
                    await command.DisposeAsync();
        }
    }
}
