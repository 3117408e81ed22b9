namespace WebhookStudio.Data;

/// <summary>
/// SQLite takes one writer at a time. The writers that run all the time (the receiver's group commit
/// <c>PayloadWriter</c>, the payload processor, the delivery writer) take turns here instead of colliding inside
/// SQLite: Microsoft.Data.Sqlite answers a locked database by sleeping 150 ms and trying again, so every collision
/// would hold each waiting webhook sender for 150 ms or more, and writers could starve each other. Waiters here
/// are woken the moment the gate is free, in arrival order, so none can starve.
/// Hold it only around a write transaction, never across reads or network I/O.
/// PostgreSQL takes concurrent writers itself (and other instances would not see this gate anyway), so there
/// the gate is always open.
/// </summary>
public sealed class DatabaseWriteGate(StudioDatabase database)
{
    private readonly SemaphoreSlim? gate = database.IsShared ? null : new(1, 1);
    private long lastWaitAt = long.MinValue / 2;

    public async Task<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        if (gate is null)
            return default;
        if (!gate.Wait(0, CancellationToken.None))
        {
            Volatile.Write(ref lastWaitAt, Environment.TickCount64);
            await gate.WaitAsync(cancellationToken);
        }
        return new Turn(gate);
    }

    /// <summary>
    /// Whether a writer had to wait for another within the last <paramref name="window"/>: while that happens, a
    /// writer that can choose (the payload processor's batch size) keeps its turns short. Never on PostgreSQL.
    /// </summary>
    public bool WasBusyWithin(TimeSpan window) =>
        gate is not null && Environment.TickCount64 - Volatile.Read(ref lastWaitAt) < (long)window.TotalMilliseconds;

    /// <summary>Leaves the gate on dispose.</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
