using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace WebhookStudio.Bench;

/// <summary>
/// The baselines' durable store: the least a receiver or a relay must do before it counts a write as done. One
/// writer takes every write queued at that moment, applies them in one transaction and commits (one fsync with
/// synchronous=FULL), then completes them all together. A payload's deliveries (the relay's outbox) go into the
/// same commit as the payload; each attempt is recorded with the delivery's new status.
/// </summary>
internal sealed class GroupCommitStore : IAsyncDisposable
{
    /// <summary>As the studio's writer: a batch is bounded so one commit never holds requests for long.</summary>
    private const int MaxBatch = 512;

    private abstract record Write
    {
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record PayloadWrite(byte[] Body, DateTime ReceivedAt, IReadOnlyList<byte[]> Deliveries) : Write;

    private sealed record AttemptWrite(long PayloadId, int Index, int StatusCode, DateTime At, double Milliseconds) : Write;

    private readonly Channel<Write> queue = Channel.CreateBounded<Write>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insertPayload, insertDelivery, insertAttempt, markDelivery;
    private readonly Task writer;
    private long attemptsRecorded;

    /// <summary>The connection's <c>synchronous</c> setting before the store set it: the library default the studio runs with.</summary>
    public long DefaultSynchronous { get; }

    /// <summary>Attempts committed so far.</summary>
    public long AttemptsRecorded => Interlocked.Read(ref attemptsRecorded);

    public GroupCommitStore(string databasePath)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        DefaultSynchronous = (long)Scalar("PRAGMA synchronous;")!;
        Scalar("PRAGMA journal_mode=WAL;");
        // FULL like the studio (SQLite's default, which the studio does not change): the commit is fsynced before 202.
        Scalar("PRAGMA synchronous=FULL;");
        Scalar("""
            CREATE TABLE payloads (id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, body BLOB NOT NULL);
            CREATE TABLE deliveries (payload_id INTEGER NOT NULL, idx INTEGER NOT NULL, body BLOB NOT NULL, status TEXT NOT NULL,
                PRIMARY KEY (payload_id, idx));
            CREATE TABLE attempts (id INTEGER PRIMARY KEY, payload_id INTEGER NOT NULL, idx INTEGER NOT NULL, at TEXT NOT NULL,
                status_code INTEGER NOT NULL, duration_ms REAL NOT NULL);
            """);

        insertPayload = Command("INSERT INTO payloads (received_at, body) VALUES ($at, $body) RETURNING id", "$at", "$body");
        insertDelivery = Command("INSERT INTO deliveries (payload_id, idx, body, status) VALUES ($payload, $idx, $body, 'pending')", "$payload", "$idx", "$body");
        insertAttempt = Command("INSERT INTO attempts (payload_id, idx, at, status_code, duration_ms) VALUES ($payload, $idx, $at, $code, $ms)",
            "$payload", "$idx", "$at", "$code", "$ms");
        markDelivery = Command("UPDATE deliveries SET status = $status WHERE payload_id = $payload AND idx = $idx", "$status", "$payload", "$idx");
        writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the body, and the deliveries to send for it, are committed, with the payload's row id.</summary>
    public Task<long> InsertAsync(byte[] body, CancellationToken cancellationToken) => InsertAsync(body, [], cancellationToken);

    /// <inheritdoc cref="InsertAsync(byte[], CancellationToken)"/>
    public Task<long> InsertAsync(byte[] body, IReadOnlyList<byte[]> deliveries, CancellationToken cancellationToken) =>
        EnqueueAsync(new PayloadWrite(body, DateTime.UtcNow, deliveries), cancellationToken);

    /// <summary>Completes once the attempt and the delivery's status are committed.</summary>
    public Task RecordAttemptAsync(long payloadId, int index, int statusCode, TimeSpan took, CancellationToken cancellationToken) =>
        EnqueueAsync(new AttemptWrite(payloadId, index, statusCode, DateTime.UtcNow, took.TotalMilliseconds), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        foreach (var command in new[] { insertPayload, insertDelivery, insertAttempt, markDelivery })
            command.Dispose();
        await connection.DisposeAsync();
    }

    private async Task<long> EnqueueAsync(Write write, CancellationToken cancellationToken)
    {
        await queue.Writer.WriteAsync(write, cancellationToken);
        return await write.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Write>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
                {
                    foreach (var command in new[] { insertPayload, insertDelivery, insertAttempt, markDelivery })
                        command.Transaction = transaction;
                    var results = new long[batch.Count];
                    for (var i = 0; i < batch.Count; i++)
                        results[i] = await ApplyAsync(batch[i]);
                    await transaction.CommitAsync();
                    Interlocked.Add(ref attemptsRecorded, batch.Count(w => w is AttemptWrite));
                    for (var i = 0; i < batch.Count; i++)
                        batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (SqliteException ex)
            {
                foreach (var write in batch)
                    write.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private async Task<long> ApplyAsync(Write write)
    {
        switch (write)
        {
            case PayloadWrite payload:
                insertPayload.Parameters["$at"].Value = payload.ReceivedAt.ToString("O");
                insertPayload.Parameters["$body"].Value = payload.Body;
                var id = (long)(await insertPayload.ExecuteScalarAsync())!;
                for (var i = 0; i < payload.Deliveries.Count; i++)
                    await ExecuteAsync(insertDelivery, id, i, payload.Deliveries[i]);
                return id;
            case AttemptWrite attempt:
                await ExecuteAsync(insertAttempt, attempt.PayloadId, attempt.Index, attempt.At.ToString("O"), attempt.StatusCode, attempt.Milliseconds);
                await ExecuteAsync(markDelivery, attempt.StatusCode is >= 200 and < 300 ? "delivered" : "failed", attempt.PayloadId, attempt.Index);
                return 0;
            default:
                throw new InvalidOperationException($"Unknown write {write.GetType().Name}.");
        }
    }

    private static Task<int> ExecuteAsync(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i];
        return command.ExecuteNonQueryAsync();
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
