using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace WebhookStudio.Bench;

/// <summary>
/// The baseline's durable store: the least a receiver must do before answering 202. One writer takes every
/// body queued at that moment, inserts them in one transaction and commits (one fsync with synchronous=FULL),
/// then releases all their requests together.
/// </summary>
internal sealed class GroupCommitStore : IAsyncDisposable
{
    /// <summary>As the studio's writer: a batch is bounded so one commit never holds requests for long.</summary>
    private const int MaxBatch = 512;

    private sealed record Write(byte[] Body, DateTime ReceivedAt, TaskCompletionSource<long> Stored);

    private readonly Channel<Write> queue = Channel.CreateBounded<Write>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly Task writer;

    /// <summary>The connection's <c>synchronous</c> setting before the store set it: the library default the studio runs with.</summary>
    public long DefaultSynchronous { get; }

    public GroupCommitStore(string databasePath)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        DefaultSynchronous = (long)Scalar("PRAGMA synchronous;")!;
        Scalar("PRAGMA journal_mode=WAL;");
        // FULL like the studio (SQLite's default, which the studio does not change): the commit is fsynced before 202.
        Scalar("PRAGMA synchronous=FULL;");
        Scalar("CREATE TABLE payloads (id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, body BLOB NOT NULL);");

        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO payloads (received_at, body) VALUES ($at, $body) RETURNING id";
        insert.Parameters.Add(new SqliteParameter { ParameterName = "$at" });
        insert.Parameters.Add(new SqliteParameter { ParameterName = "$body" });
        writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the body is committed, with its row id.</summary>
    public async Task<long> InsertAsync(byte[] body, CancellationToken cancellationToken)
    {
        var write = new Write(body, DateTime.UtcNow, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(write, cancellationToken);
        return await write.Stored.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        insert.Dispose();
        await connection.DisposeAsync();
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
                    insert.Transaction = transaction;
                    var ids = new long[batch.Count];
                    for (var i = 0; i < batch.Count; i++)
                    {
                        insert.Parameters["$at"].Value = batch[i].ReceivedAt.ToString("O");
                        insert.Parameters["$body"].Value = batch[i].Body;
                        ids[i] = (long)(await insert.ExecuteScalarAsync())!;
                    }
                    await transaction.CommitAsync();
                    for (var i = 0; i < batch.Count; i++)
                        batch[i].Stored.TrySetResult(ids[i]);
                }
            }
            catch (SqliteException ex)
            {
                foreach (var write in batch)
                    write.Stored.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
