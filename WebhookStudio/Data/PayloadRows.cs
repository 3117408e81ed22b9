using System.Data.Common;
using System.Globalization;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Data;

/// <summary>
/// The receiver's group commit in SQL (plain ADO.NET for speed, not EF Core): statements prepared once on the
/// writer's own connection, and a batch that is one transaction in the database's write turn. Quoted names and
/// @parameters read the same in SQLite and PostgreSQL.
/// </summary>
public sealed class PayloadRows(StudioDatabase database, DatabaseWriteGate writeGate)
{
    public async Task<PayloadRowWriter> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return new PayloadRowWriter(connection, database, writeGate);
    }
}

/// <summary>One writer's connection and statements, reused for every batch.</summary>
public sealed class PayloadRowWriter : IAsyncDisposable
{
    private readonly DbConnection connection;
    private readonly StudioDatabase database;
    private readonly DatabaseWriteGate writeGate;
    private readonly DbCommand insert, findDuplicate, touchSource, lockDedup;

    internal PayloadRowWriter(DbConnection connection, StudioDatabase database, DatabaseWriteGate writeGate)
    {
        this.connection = connection;
        this.database = database;
        this.writeGate = writeGate;
        insert = SqlCommands.Create(connection, """
            INSERT INTO "Payloads" ("SourceId", "ReceivedAt", "ContentType", "Headers", "RemoteAddress", "Size", "Body", "Outcome", "Reason", "DedupValue", "DuplicateOfId", "Created", "Updated", "Unchanged")
            VALUES (@source, @at, @type, @headers, @remote, @size, @body, @outcome, @reason, @dedup, @dupOf, 0, 0, 0)
            RETURNING "Id"
            """, "@source", "@at", "@type", "@headers", "@remote", "@size", "@body", "@outcome", "@reason", "@dedup", "@dupOf");
        findDuplicate = SqlCommands.Create(connection, """
            SELECT "Id" FROM "Payloads"
            WHERE "SourceId" = @source AND "DedupValue" = @dedup AND "ReceivedAt" >= @since AND "Outcome" NOT IN ('Duplicate', 'Rejected')
            ORDER BY "Id" LIMIT 1
            """, "@source", "@dedup", "@since");
        touchSource = SqlCommands.Create(connection, """UPDATE "Sources" SET "LastPayloadAt" = @at WHERE "Id" = @source""", "@at", "@source");
        // PostgreSQL only: waits while another instance's writer checks duplicates of the same source.
        lockDedup = SqlCommands.Create(connection, $"SELECT pg_advisory_xact_lock({(int)WorkLock.PayloadDedup}, @source)", "@source");
    }

    /// <summary>
    /// Takes the write turn and opens the batch's transaction. On a shared database it also waits, source by source
    /// in id order (so two instances never deadlock), until no other instance's writer is checking duplicates of
    /// <paramref name="dedupSources"/>, so copies sent to two instances at once are still caught.
    /// </summary>
    public async Task<PayloadBatch> BeginAsync(IEnumerable<int> dedupSources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dedupSources);
        var turn = await writeGate.EnterAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            insert.Transaction = findDuplicate.Transaction = touchSource.Transaction = lockDedup.Transaction = transaction;
            if (database.IsShared)
                foreach (var sourceId in dedupSources.Distinct().Order())
                {
                    lockDedup.Parameters["@source"].Value = sourceId;
                    await lockDedup.ExecuteNonQueryAsync(cancellationToken);
                }
            return new PayloadBatch(this, transaction, turn);
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }

    internal async Task<long> InsertAsync(ReceivedPayload p, CancellationToken cancellationToken)
    {
        // By position, in the order of the statement: a lookup by name is a linear search, for every payload.
        var values = insert.Parameters;
        values[0].Value = p.SourceId;
        values[1].Value = database.Timestamp(p.ReceivedAt);
        values[2].Value = p.ContentType;
        values[3].Value = p.Headers;
        values[4].Value = (object?)p.RemoteAddress ?? DBNull.Value;
        values[5].Value = p.Size;
        values[6].Value = p.Body;
        values[7].Value = p.Outcome.ToString();
        values[8].Value = (object?)p.Reason ?? DBNull.Value;
        values[9].Value = (object?)p.DedupValue ?? DBNull.Value;
        values[10].Value = (object?)p.DuplicateOfId ?? DBNull.Value;
        return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    internal async Task<long?> FindDuplicateAsync(int sourceId, string key, DateTime since, CancellationToken cancellationToken)
    {
        findDuplicate.Parameters["@source"].Value = sourceId;
        findDuplicate.Parameters["@dedup"].Value = key;
        findDuplicate.Parameters["@since"].Value = database.Timestamp(since);
        return await findDuplicate.ExecuteScalarAsync(cancellationToken) as long?;
    }

    internal async Task TouchSourceAsync(int sourceId, DateTime at, CancellationToken cancellationToken)
    {
        touchSource.Parameters["@at"].Value = database.Timestamp(at);
        touchSource.Parameters["@source"].Value = sourceId;
        await touchSource.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { insert, findDuplicate, touchSource, lockDedup })
            await command.DisposeAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>One group commit: what it writes, then <see cref="CommitAsync"/>; disposing without committing rolls back. Holds the write turn until disposed.</summary>
public sealed class PayloadBatch : IAsyncDisposable
{
    private readonly PayloadRowWriter writer;
    private readonly DbTransaction transaction;
    private readonly DatabaseWriteGate.Turn turn;

    internal PayloadBatch(PayloadRowWriter writer, DbTransaction transaction, DatabaseWriteGate.Turn turn)
    {
        this.writer = writer;
        this.transaction = transaction;
        this.turn = turn;
    }

    /// <summary>The id of the payload of the source with the same de-duplication value received since <paramref name="since"/>, if any.</summary>
    public Task<long?> FindDuplicateAsync(int sourceId, string key, DateTime since, CancellationToken cancellationToken) =>
        writer.FindDuplicateAsync(sourceId, key, since, cancellationToken);

    /// <returns>The payload's new id.</returns>
    public Task<long> InsertAsync(ReceivedPayload payload, CancellationToken cancellationToken) => writer.InsertAsync(payload, cancellationToken);

    /// <summary>Notes when the source last received a payload; call in source id order (writers of two instances would deadlock otherwise).</summary>
    public Task TouchSourceAsync(int sourceId, DateTime at, CancellationToken cancellationToken) => writer.TouchSourceAsync(sourceId, at, cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        turn.Dispose();
    }
}
