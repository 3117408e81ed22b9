namespace WebhookStudio.Data;

/// <summary>
/// SQLite takes one writer at a time. The two writers that run all the time, the receiver's group commit
/// (<c>PayloadWriter</c>) and the payload processor, take turns here instead of colliding inside SQLite:
/// Microsoft.Data.Sqlite answers a locked database by sleeping 150 ms and trying again, so every collision
/// held each waiting webhook sender for 150 ms or more, and the two writers could starve each other for
/// a second. Waiters here are woken the moment the gate is free, in arrival order, so neither can starve.
/// Hold it only around a write transaction, never across reads or network I/O.
/// </summary>
public sealed class DatabaseWriteGate
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    /// <summary>Leaves the gate on dispose.</summary>
    public readonly struct Turn(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
