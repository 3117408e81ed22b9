using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>What one attempt came to, for the writer to record.</summary>
/// <param name="Status">Pending (a retry at <paramref name="NextAttemptAt"/>), Delivered or Failed.</param>
/// <param name="Gone">The receiver answered 410: the subscription is deactivated at once.</param>
public sealed record Settlement(long DeliveryId, int SubscriptionId, SendResult Result, DeliveryStatus Status, DateTime? NextAttemptAt, bool Gone);

/// <summary>What the writer did with a settlement.</summary>
public sealed record Settled(DeliveryStatus Status, bool SubscriptionDeactivated);

/// <summary>
/// The one writer of delivery state. Many workers send at once; each hands its lease claim or its attempt here
/// and waits for the commit, and the writer commits everything waiting at that moment in one transaction,
/// taking turns with the receiver and the payload processor through <see cref="DatabaseWriteGate"/>. One
/// SQLite writer, few fsyncs, and a worker learns the outcome only once it is on disk. Subscription failure
/// counters and automatic deactivation are decided here too, so they see every attempt in order.
/// </summary>
public sealed partial class DeliveryWriter(
    IDbContextFactory<StudioDbContext> contexts,
    DbContextOptions<StudioDbContext> contextOptions,
    StudioDatabase database,
    DatabaseWriteGate writeGate,
    DeliveryEvents events,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    private abstract record Op
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record ClaimOp(IReadOnlyList<long> DeliveryIds, DateTime Until, DateTime? Held) : Op;

    private sealed record ReleaseOp(long DeliveryId) : Op;

    private sealed record SettleOp(Settlement Settlement) : Op;

    private sealed record MarkOp(long DeliveryId, DeliveryStatus To, string? Reason) : Op;

    private readonly Channel<Op> queue = Channel.CreateUnbounded<Op>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Takes the deliveries' leases, each when the delivery is still pending and no live lease holds it (a conditional
    /// UPDATE, the same on SQLite and PostgreSQL): two workers, or two instances, never send the same delivery at once.
    /// </summary>
    /// <param name="held">
    /// The lease the caller holds on them (the <paramref name="until"/> of its claim), to renew it before it runs out;
    /// a lease taken by someone else after it ran out has another time and is left alone.
    /// </param>
    /// <returns>Per delivery, in order, whether its lease is now the caller's.</returns>
    public async Task<bool[]> ClaimAsync(IReadOnlyList<long> deliveryIds, DateTime until, DateTime? held, CancellationToken cancellationToken) =>
        (bool[])(await SubmitAsync(new ClaimOp(deliveryIds, until, held), cancellationToken))!;

    public Task ReleaseAsync(long deliveryId, CancellationToken cancellationToken) => SubmitAsync(new ReleaseOp(deliveryId), cancellationToken);

    public async Task<Settled> SettleAsync(Settlement settlement, CancellationToken cancellationToken) =>
        (Settled)(await SubmitAsync(new SettleOp(settlement), cancellationToken))!;

    /// <summary>Moves a pending delivery to <paramref name="to"/> (cancelled, buffered) without an attempt.</summary>
    public Task MarkAsync(long deliveryId, DeliveryStatus to, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(new MarkOp(deliveryId, to, reason), cancellationToken);

    private async Task<object?> SubmitAsync(Op op, CancellationToken cancellationToken)
    {
        await queue.Writer.WriteAsync(op, cancellationToken);
        return await op.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Op>(MaxBatch);
        StudioDbContext? own = null;
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                if (!database.IsShared)
                    own ??= await OpenSqliteContextAsync(stoppingToken);
                var (results, changes) = await CommitAsync(own, batch, stoppingToken);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(results[i]);
                events.Publish(changes);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCommitFailed(logger, ex, batch.Count);
                foreach (var op in batch)
                    op.Done.TrySetException(ex);
                if (own is not null)
                    await own.DisposeAsync();
                own = null;
            }
            batch.Clear();
        }
        if (own is not null)
            await own.DisposeAsync();
    }

    /// <summary>
    /// The writer's commits do not wait for the disk to confirm them: with SQLite it has a connection of its own with
    /// <c>synchronous = NORMAL</c> (WAL mode), with PostgreSQL each transaction sets <c>synchronous_commit = off</c>.
    /// What this writer records is a lease, an attempt and a delivery's new state: a process crash loses none of it (the
    /// OS has the writes), a power cut at worst its last moments, after which those deliveries are pending again and
    /// are sent once more with the same <c>webhook-id</c>, as after a crash mid-send. Waiting for the disk on every
    /// commit would bound how fast a subscription's slots send. Webhook senders' payloads and everything the API and UI
    /// write keep full durability: they use other connections.
    /// </summary>
    /// <remarks>
    /// The context on that connection is the writer's for as long as the connection lives (not pooled: a pooled context
    /// would keep the connection when given back), so no commit builds a context.
    /// </remarks>
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

    /// <param name="own">The SQLite writer's own context and connection; null with PostgreSQL, whose pools cope with broken connections.</param>
    private async Task<(object?[] Results, List<DeliveryChanged> Changes)> CommitAsync(StudioDbContext? own, List<Op> batch, CancellationToken cancellationToken)
    {
        await using var pooled = own is null ? await contexts.CreateDbContextAsync(cancellationToken) : null;
        var db = own ?? pooled!;
        try
        {
            return await WriteAsync(db, batch, cancellationToken);
        }
        finally
        {
            // The own context lives on: nothing it loaded for this commit (subscriptions after a failure) stays tracked.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Every operation is one statement, in batch order, that reads and changes the delivery in the database itself
    /// (<see cref="Statements"/>): no query loads the deliveries first, as EF Core's per-query work would be most of
    /// the writer's CPU. Subscriptions are loaded only when an attempt in the batch failed: their counters and
    /// the decision to deactivate need the row; after successes a conditional UPDATE resets the counters.
    /// </summary>
    private async Task<(object?[] Results, List<DeliveryChanged> Changes)> WriteAsync(StudioDbContext db, List<Op> batch, CancellationToken cancellationToken)
    {
        var results = new object?[batch.Count];
        var changes = new List<DeliveryChanged>();
        using var turn = await writeGate.EnterAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (database.IsShared)
            await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", cancellationToken);
        await using var sql = new Statements(db.Database.GetDbConnection(), transaction.GetDbTransaction(), database, now);

        var attempts = new List<DeliveryAttempt>();
        var failed = batch.Exists(op => op is SettleOp { Settlement.Result.Succeeded: false });
        var subscriptions = failed ? await LoadSubscriptionsAsync(db, batch, cancellationToken) : [];
        var succeededOnly = new HashSet<int>();
        var toDeactivate = new Dictionary<int, (string Reason, Settlement Last)>();

        for (var i = 0; i < batch.Count; i++)
        {
            switch (batch[i])
            {
                case ClaimOp claim:
                    var granted = new bool[claim.DeliveryIds.Count];
                    for (var k = 0; k < granted.Length; k++)
                        granted[k] = await sql.ClaimAsync(claim.DeliveryIds[k], claim.Until, claim.Held, cancellationToken);
                    results[i] = granted;
                    break;
                case ReleaseOp release:
                    await sql.ReleaseAsync(release.DeliveryId, cancellationToken);
                    break;
                case MarkOp mark:
                    if (await sql.MarkAsync(mark.DeliveryId, mark.To, mark.Reason, cancellationToken) is { } markedFor)
                        changes.Add(new DeliveryChanged(mark.DeliveryId, markedFor, mark.To));
                    break;
                case SettleOp { Settlement: var s }:
                    if (await sql.SettleAsync(s, cancellationToken) is not { } stored)
                    {
                        // The delivery is gone (erased meanwhile): nothing to record.
                        results[i] = new Settled(DeliveryStatus.Cancelled, false);
                        break;
                    }
                    var (status, subscriptionId) = stored;
                    attempts.Add(DeliveryAttempt.Of(s.DeliveryId, s.Result));
                    changes.Add(new DeliveryChanged(s.DeliveryId, subscriptionId, status));
                    results[i] = new Settled(status, false);
                    if (!failed)
                        succeededOnly.Add(s.SubscriptionId);
                    else if (subscriptions.TryGetValue(s.SubscriptionId, out var subscription))
                        CountAttempt(subscription, s, now, toDeactivate);
                    break;
            }
        }
        await RowWriter.InsertAsync(db, attempts, cancellationToken);
        foreach (var subscriptionId in succeededOnly)
            await sql.ResetFailuresAsync(subscriptionId, cancellationToken);

        foreach (var (subscriptionId, (reason, last)) in toDeactivate)
        {
            await SubscriptionStates.DeactivateAsync(db, subscriptions[subscriptionId], reason, last.Result, now, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
                if (batch[i] is SettleOp settle && settle.Settlement.SubscriptionId == subscriptionId && results[i] is Settled settled)
                    results[i] = settled with { SubscriptionDeactivated = true };
            changes.Add(new DeliveryChanged(0, subscriptionId, DeliveryStatus.Buffered));
        }
        if (subscriptions.Count > 0)
            await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (results, changes);
    }

    private static async Task<Dictionary<int, Subscription>> LoadSubscriptionsAsync(StudioDbContext db, List<Op> batch, CancellationToken cancellationToken)
    {
        var ids = batch.OfType<SettleOp>().Select(s => s.Settlement.SubscriptionId).Distinct().ToList();
        return await db.Subscriptions.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
    }

    /// <summary>Counts an attempt against its subscription, in order: a success clears the run of failures, a failure may end it in deactivation.</summary>
    private void CountAttempt(Subscription subscription, Settlement s, DateTime now, Dictionary<int, (string Reason, Settlement Last)> toDeactivate)
    {
        if (s.Result.Succeeded)
        {
            subscription.ConsecutiveFailures = 0;
            subscription.FailingSince = null;
            toDeactivate.Remove(subscription.Id);
            return;
        }
        subscription.ConsecutiveFailures++;
        subscription.FailingSince ??= s.Result.At;
        if (subscription.Active && DeactivationReason(subscription, s, options.Value, now) is { } reason)
            toDeactivate[subscription.Id] = (reason, s);
    }

    private static string? DeactivationReason(Subscription subscription, Settlement last, DeliveryOptions settings, DateTime now)
    {
        if (last.Gone)
            return "The receiver answered 410 Gone: it no longer wants these deliveries.";
        if (subscription.ConsecutiveFailures >= settings.DeactivateAfterFailures)
            return $"{subscription.ConsecutiveFailures} attempts in a row failed.";
        if (subscription.FailingSince is { } since && now - since >= settings.DeactivateAfter)
            return $"Every attempt failed for {Math.Round((now - since).TotalDays, 1)} days.";
        return null;
    }

    /// <summary>
    /// The writer's statements, prepared for one commit and reused for each operation. Each reads the delivery's state
    /// in the database as it changes it, so a cancellation or another instance's write in between is respected. Values
    /// are stored as EF Core stores them (enums by name, times via <see cref="StudioDatabase.Timestamp"/>).
    /// </summary>
    private sealed class Statements(DbConnection connection, DbTransaction transaction, StudioDatabase database, DateTime now) : IAsyncDisposable
    {
        private const string Pending = nameof(DeliveryStatus.Pending);
        private readonly object nowValue = database.Timestamp(now);
        private DbCommand? claim, settle, release, mark, resetFailures;

        /// <summary>
        /// Takes the lease of a pending delivery whose lease is free, ran out, or is <paramref name="held"/> by the caller.
        /// Two claims of one delivery in one batch: the first wins, as it would across batches.
        /// </summary>
        public async Task<bool> ClaimAsync(long deliveryId, DateTime until, DateTime? held, CancellationToken cancellationToken)
        {
            claim ??= Prepare($"""
                UPDATE "Deliveries" SET "LeaseUntil" = @until
                WHERE "Id" = @id AND "Status" = '{Pending}' AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now OR "LeaseUntil" = @held)
                """, "@until", "@id", "@now", "@held");
            Bind(claim, database.Timestamp(until), deliveryId, nowValue, held is { } heldUntil ? database.Timestamp(heldUntil) : null);
            return await claim.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        /// <summary>
        /// Records the attempt on the delivery. A delivery cancelled or buffered while it was on the wire keeps that
        /// status, unless the answer was a success, which still counts.
        /// </summary>
        /// <returns>The delivery's status now and its subscription; null when the delivery no longer exists.</returns>
        public async Task<(DeliveryStatus Status, int SubscriptionId)?> SettleAsync(Settlement s, CancellationToken cancellationToken)
        {
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
            var result = s.Result;
            Bind(settle, database.Timestamp(result.At), result.Error, result.Failure.ToString(), result.Response?.StatusCode,
                result.Succeeded ? 1 : 0, s.Status.ToString(),
                s.Status == DeliveryStatus.Pending && s.NextAttemptAt is { } next ? database.Timestamp(next) : null,
                s.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed ? 1 : 0, nowValue, s.DeliveryId);
            await using var reader = await settle.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            return (Enum.Parse<DeliveryStatus>(reader.GetString(0)), reader.GetInt32(1));
        }

        public async Task ReleaseAsync(long deliveryId, CancellationToken cancellationToken)
        {
            release ??= Prepare("""UPDATE "Deliveries" SET "LeaseUntil" = NULL WHERE "Id" = @id""", "@id");
            Bind(release, deliveryId);
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>Moves a delivery that is still pending to <paramref name="to"/>.</summary>
        /// <returns>The delivery's subscription when it was moved; null when it was no longer pending (or is gone).</returns>
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
            return await mark.ExecuteScalarAsync(cancellationToken) is { } subscriptionId and not DBNull
                ? Convert.ToInt32(subscriptionId, System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }

        /// <summary>After a batch of successes only: the subscription's run of failures, if it had one, is over.</summary>
        public async Task ResetFailuresAsync(int subscriptionId, CancellationToken cancellationToken)
        {
            resetFailures ??= Prepare("""
                UPDATE "Subscriptions" SET "ConsecutiveFailures" = 0, "FailingSince" = NULL
                WHERE "Id" = @id AND ("ConsecutiveFailures" <> 0 OR "FailingSince" IS NOT NULL)
                """, "@id");
            Bind(resetFailures, subscriptionId);
            await resetFailures.ExecuteNonQueryAsync(cancellationToken);
        }

        private DbCommand Prepare(string sql, params string[] parameters)
        {
            var command = SqlCommands.Create(connection, sql, parameters);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} delivery changes; the workers will find the deliveries again")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, int count);
}
