using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace WebhookStudio.Data;

/// <summary>Kinds of work instances split between them; each kind has its own lock space (keys are ids of that kind).</summary>
public enum WorkLock
{
    /// <summary>Processing a source's pending payloads: one instance at a time per source keeps arrival order.</summary>
    PayloadSource = 1,

    /// <summary>The receiver's duplicate check of a source: writers of several instances take turns (a waiting lock, not a claim).</summary>
    PayloadDedup = 2,
}

/// <summary>
/// How background workers make sure work is done by one instance only when several share a PostgreSQL database.
/// A claim is a transaction holding transaction-scoped advisory locks (<c>pg_try_advisory_xact_lock</c>): whoever
/// holds the lock for a key does that work, the others skip it, and the lock goes with the commit or with a
/// crashed instance's connection, so nothing stays claimed forever. With SQLite there is one instance, so a
/// claim is no transaction and every lock is granted.
/// Row leases (e.g. a delivery sent by one instance at a time) fit the same claim: inside it, select the rows
/// with <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL (check <see cref="WorkClaim.IsShared"/>).
/// </summary>
public sealed class WorkClaims(StudioDatabase database, DatabaseWriteGate writeGate)
{
    public async Task<WorkClaim> BeginAsync(StudioDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!database.IsShared)
            return new WorkClaim(db, null, writeGate);
        return new WorkClaim(db, await db.Database.BeginTransactionAsync(cancellationToken), writeGate);
    }
}

/// <summary>Claims held until <see cref="CompleteAsync"/> writes and commits the work done inside it; disposing without completing rolls back.</summary>
public sealed class WorkClaim : IAsyncDisposable
{
    private readonly StudioDbContext db;
    private readonly IDbContextTransaction? transaction;
    private readonly DatabaseWriteGate writeGate;

    internal WorkClaim(StudioDbContext db, IDbContextTransaction? transaction, DatabaseWriteGate writeGate)
    {
        this.db = db;
        this.transaction = transaction;
        this.writeGate = writeGate;
    }

    /// <summary>True when other instances may compete for the same work (PostgreSQL).</summary>
    public bool IsShared => transaction is not null;

    /// <summary>
    /// Whether a writer had to wait for the write turn within the last <paramref name="window"/>: while that happens,
    /// work that can choose its size (the payload processor's batch) keeps its turns short. Never on PostgreSQL.
    /// </summary>
    public bool WriteTurnBusyWithin(TimeSpan window) => writeGate.WasBusyWithin(window);

    /// <summary>Tries to claim one key without waiting; true when this instance now holds it until the claim ends.</summary>
    public async Task<bool> TryLockAsync(WorkLock kind, int key, CancellationToken cancellationToken)
    {
        if (transaction is null)
            return true;
        var granted = await db.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({(int)kind}, {key}) AS \"Value\"")
            .ToListAsync(cancellationToken);
        return granted.Single();
    }

    /// <summary>
    /// Runs <paramref name="write"/> in the database's write turn and commits it with the claims: in the claim's
    /// transaction on a shared database, in one of its own alone. Only the write takes the turn; what the work read
    /// and prepared before ran beside the other writers.
    /// </summary>
    public async Task CompleteAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        using (await writeGate.EnterAsync(cancellationToken))
        {
            await using var own = transaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await write();
            await (transaction ?? own!).CommitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null)
            await transaction.DisposeAsync();
    }
}
