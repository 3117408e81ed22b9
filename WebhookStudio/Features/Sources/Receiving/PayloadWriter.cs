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
    PayloadRows rows,
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
        await using var writer = await rows.OpenAsync(stoppingToken);

        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                await CommitAsync(writer, batch, stoppingToken);
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

    private async Task CommitAsync(PayloadRowWriter writer, List<PendingWrite> batch, CancellationToken cancellationToken)
    {
        await using var sql = await writer.BeginAsync(batch.Where(w => w.Payload.DedupValue is not null).Select(w => w.Payload.SourceId), cancellationToken);
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
        await sql.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} payloads; their senders get 503 and will retry")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, int count);
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
