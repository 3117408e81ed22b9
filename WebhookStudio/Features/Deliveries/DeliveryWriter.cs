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
/// <param name="NextClaimed">Whether the lease of the delivery to send next, asked for with the settlement, was taken.</param>
public sealed record Settled(DeliveryStatus Status, bool SubscriptionDeactivated, bool NextClaimed = false);

/// <summary>
/// The one writer of delivery state. Many workers send at once; each hands its lease claim or its attempt here
/// and waits for the commit, and the writer commits everything waiting at that moment in one transaction,
/// taking turns with the receiver and the payload processor through <see cref="DatabaseWriteGate"/>. One
/// SQLite writer, few fsyncs, and a worker learns the outcome only once it is on disk. Subscription failure
/// counters and automatic deactivation are decided here too, so they see every attempt in order.
/// </summary>
public sealed partial class DeliveryWriter(
    IDbContextFactory<StudioDbContext> contexts,
    StudioDatabase database,
    DatabaseWriteGate writeGate,
    DeliveryEvents events,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    /// <summary>What a batch may change on a delivery, written with <see cref="RowWriter"/> (the rows are not tracked).</summary>
    private static readonly string[] DeliveryColumns =
    [
        nameof(Delivery.LeaseUntil), nameof(Delivery.Status), nameof(Delivery.NextAttemptAt), nameof(Delivery.LastError), nameof(Delivery.LastFailure),
        nameof(Delivery.LastStatusCode), nameof(Delivery.LastAttemptAt), nameof(Delivery.AttemptCount), nameof(Delivery.CompletedAt),
    ];

    private abstract record Op
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record ClaimOp(long DeliveryId, DateTime Until) : Op;

    private sealed record ReleaseOp(long DeliveryId) : Op;

    private sealed record SettleOp(Settlement Settlement, ClaimOp? ClaimNext) : Op;

    private sealed record MarkOp(long DeliveryId, DeliveryStatus To, string? Reason) : Op;

    private readonly Channel<Op> queue = Channel.CreateUnbounded<Op>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Takes the delivery's lease when it is still pending and no live lease holds it (a conditional UPDATE, the
    /// same on SQLite and PostgreSQL): two workers, or two instances, never send the same delivery at once.
    /// </summary>
    public async Task<bool> ClaimAsync(long deliveryId, DateTime until, CancellationToken cancellationToken) =>
        (bool)(await SubmitAsync(new ClaimOp(deliveryId, until), cancellationToken))!;

    public Task ReleaseAsync(long deliveryId, CancellationToken cancellationToken) => SubmitAsync(new ReleaseOp(deliveryId), cancellationToken);

    /// <param name="claimNext">
    /// The delivery the caller sends next and the lease it wants: claimed in the same commit, so a worker sending one
    /// after the other waits for one commit per delivery, not two.
    /// </param>
    public async Task<Settled> SettleAsync(Settlement settlement, (long DeliveryId, DateTime Until)? claimNext, CancellationToken cancellationToken) =>
        (Settled)(await SubmitAsync(new SettleOp(settlement, claimNext is { } next ? new ClaimOp(next.DeliveryId, next.Until) : null), cancellationToken))!;

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
        DbConnection? connection = null;
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                if (!database.IsShared)
                    connection ??= await OpenSqliteConnectionAsync(stoppingToken);
                var (results, changes) = await CommitAsync(connection, batch, stoppingToken);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(results[i]);
                events.Publish(changes);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCommitFailed(logger, ex, batch.Count);
                foreach (var op in batch)
                    op.Done.TrySetException(ex);
                if (connection is not null)
                    await connection.DisposeAsync();
                connection = null;
            }
            batch.Clear();
        }
        if (connection is not null)
            await connection.DisposeAsync();
    }

    /// <summary>
    /// The writer's commits do not wait for the disk to confirm them: with SQLite it has a connection of its own with
    /// <c>synchronous = NORMAL</c> (WAL mode), with PostgreSQL each transaction sets <c>synchronous_commit = off</c>.
    /// What this writer records is a lease, an attempt and a delivery's new state: a process crash loses none of it (the
    /// OS has the writes), a power cut at worst its last moments, after which those deliveries are pending again and
    /// are sent once more with the same <c>webhook-id</c>, as after a crash mid-send. Waiting for the disk per commit
    /// bounded a subscription's slots in bench/ (10 in flight, each waiting for two commits per delivery). Webhook
    /// senders' payloads and everything the API and UI write keep full durability: they use other connections.
    /// </summary>
    private async Task<DbConnection> OpenSqliteConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <param name="connection">The SQLite writer's own; null with PostgreSQL, whose pool copes with broken connections.</param>
    private async Task<(object?[] Results, List<DeliveryChanged> Changes)> CommitAsync(DbConnection? connection, List<Op> batch, CancellationToken cancellationToken)
    {
        var results = new object?[batch.Count];
        var changes = new List<DeliveryChanged>();
        var settings = options.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (connection is not null)
            db.Database.SetDbConnection(connection);
        using var turn = await writeGate.EnterAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (database.IsShared)
            await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", cancellationToken);

        var claimed = await ClaimAsync(db, transaction.GetDbTransaction(), batch, now, cancellationToken);

        var ids = batch.Select(op => op switch { ReleaseOp r => r.DeliveryId, SettleOp s => s.Settlement.DeliveryId, MarkOp m => m.DeliveryId, _ => 0 })
            .Where(id => id != 0).Distinct().ToList();
        var deliveries = ids.Count == 0 ? [] : await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        // Only rows an operation changed are written back: on a shared database another instance may be writing the rest.
        var changed = new HashSet<Delivery>(ReferenceEqualityComparer.Instance);
        var subscriptionIds = batch.OfType<SettleOp>().Select(s => s.Settlement.SubscriptionId).Distinct().ToList();
        var subscriptions = subscriptionIds.Count == 0 ? []
            : await db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var toDeactivate = new Dictionary<int, (string Reason, Settlement Last)>();

        for (var i = 0; i < batch.Count; i++)
        {
            switch (batch[i])
            {
                case ClaimOp:
                    results[i] = claimed[i];
                    break;
                case ReleaseOp release when deliveries.TryGetValue(release.DeliveryId, out var d):
                    d.LeaseUntil = null;
                    changed.Add(d);
                    break;
                case MarkOp mark when deliveries.TryGetValue(mark.DeliveryId, out var d):
                    if (d.Status == DeliveryStatus.Pending)
                    {
                        d.Status = mark.To;
                        d.NextAttemptAt = null;
                        d.LeaseUntil = null;
                        if (mark.Reason is not null) d.LastError = mark.Reason;
                        if (mark.To is DeliveryStatus.Cancelled) d.CompletedAt = now;
                        changed.Add(d);
                        changes.Add(new DeliveryChanged(d.Id, d.SubscriptionId, d.Status));
                    }
                    break;
                case SettleOp settle when deliveries.TryGetValue(settle.Settlement.DeliveryId, out var d):
                    var s = settle.Settlement;
                    var result = s.Result;
                    attempts.Add(SubscriptionTester.Attempt(d.Id, result));
                    changed.Add(d);
                    d.AttemptCount++;
                    d.LastAttemptAt = result.At;
                    d.LastError = result.Error;
                    d.LastFailure = result.Failure;
                    d.LastStatusCode = result.Response?.StatusCode;
                    d.LeaseUntil = null;
                    // Cancelled or buffered while it was on the wire: the answer still counts if it was a success.
                    if (d.Status == DeliveryStatus.Pending || result.Succeeded)
                    {
                        d.Status = s.Status;
                        d.NextAttemptAt = s.Status == DeliveryStatus.Pending ? s.NextAttemptAt : null;
                        if (s.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed) d.CompletedAt = now;
                    }
                    changes.Add(new DeliveryChanged(d.Id, d.SubscriptionId, d.Status));

                    if (subscriptions.TryGetValue(s.SubscriptionId, out var subscription))
                    {
                        if (result.Succeeded)
                        {
                            subscription.ConsecutiveFailures = 0;
                            subscription.FailingSince = null;
                            toDeactivate.Remove(subscription.Id);
                        }
                        else
                        {
                            subscription.ConsecutiveFailures++;
                            subscription.FailingSince ??= result.At;
                            if (subscription.Active && DeactivationReason(subscription, s, settings, now) is { } reason)
                                toDeactivate[subscription.Id] = (reason, s);
                        }
                    }
                    results[i] = new Settled(d.Status, false, claimed[i]);
                    break;
                case SettleOp:
                    // The delivery is gone (erased meanwhile): nothing to record.
                    results[i] = new Settled(DeliveryStatus.Cancelled, false, claimed[i]);
                    break;
            }
        }
        await RowWriter.UpdateAsync(db, changed, DeliveryColumns, cancellationToken);
        await RowWriter.InsertAsync(db, attempts, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (subscriptionId, (reason, last)) in toDeactivate)
        {
            var subscription = subscriptions[subscriptionId];
            await SubscriptionStates.DeactivateAsync(db, subscription, reason, last.Result, now, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
                if (batch[i] is SettleOp settle && settle.Settlement.SubscriptionId == subscriptionId && results[i] is Settled settled)
                    results[i] = settled with { SubscriptionDeactivated = true };
            changes.Add(new DeliveryChanged(0, subscriptionId, DeliveryStatus.Buffered));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (results, changes);
    }

    /// <summary>
    /// Each claim is one conditional UPDATE, the same on SQLite and PostgreSQL: it takes the lease only from a pending
    /// delivery whose lease is free or ran out. Two claims of one delivery in one batch: the first wins, as it would
    /// across batches.
    /// </summary>
    /// <returns>Per operation of the batch, whether its claim (a claim, or a settlement's claim of the next) was granted.</returns>
    private async Task<bool[]> ClaimAsync(StudioDbContext db, DbTransaction transaction, List<Op> batch, DateTime now, CancellationToken cancellationToken)
    {
        var claimed = new bool[batch.Count];
        if (!batch.Exists(op => op is ClaimOp or SettleOp { ClaimNext: not null }))
            return claimed;
        await using var command = SqlCommands.Create(db.Database.GetDbConnection(), $"""
            UPDATE "Deliveries" SET "LeaseUntil" = @until
            WHERE "Id" = @id AND "Status" = '{nameof(DeliveryStatus.Pending)}' AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now)
            """, "@until", "@id", "@now");
        command.Transaction = transaction;
        var (until, id) = (command.Parameters[0], command.Parameters[1]);
        command.Parameters[2].Value = database.Timestamp(now);

        var claimedHere = new HashSet<long>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] switch { ClaimOp c => c, SettleOp { ClaimNext: { } c } => c, _ => null } is not { } claim || !claimedHere.Add(claim.DeliveryId))
                continue;
            until.Value = database.Timestamp(claim.Until);
            id.Value = claim.DeliveryId;
            claimed[i] = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        return claimed;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} delivery changes; the workers will find the deliveries again")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, int count);
}
