namespace WebhookStudio.Data;

/// <summary>
/// SQLite takes one writer at a time. The two writers that run all the time, the receiver's group commit
/// (<c>PayloadWriter</c>) and the payload processor, take turns here instead of colliding inside SQLite:
/// Microsoft.Data.Sqlite answers a locked database by sleeping 150 ms and trying again, so every collision
/// held each waiting webhook sender for 150 ms or more, and the two writers could starve each other for
/// a second. Waiters here are woken the moment the gate is free, in arrival order, so neither can starve.
/// Hold it only around a write transaction, never across reads or network I/O.
/// PostgreSQL takes concurrent writers itself (and other instances would not see this gate anyway), so there
/// the gate is always open.
/// </summary>
public sealed class DatabaseWriteGate(StudioDatabase database)
{
    private readonly SemaphoreSlim? gate = database.IsShared ? null : new(1, 1);

    public async Task<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        if (gate is null)
            return default;
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    /// <summary>Leaves the gate on dispose.</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
