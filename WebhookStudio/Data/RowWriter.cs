using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace WebhookStudio.Data;

/// <summary>
/// Inserts or updates many rows of one entity type with one statement, on the context's connection and inside its
/// current transaction, for the hot write paths: reused row after row on SQLite, sent as one batch (one round trip)
/// on PostgreSQL. Table, column names, quoting and value conversions (enums as strings, UTC times) come from the EF
/// Core model, so the rows read back through EF exactly as if <c>SaveChanges</c> had written them. What it leaves
/// out is <c>SaveChanges</c>' per-row work (change tracking, ordering commands, fixing up navigations), the largest
/// cost of the hot paths: the entities are plain objects here, never tracked.
/// </summary>
public static class RowWriter
{
    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping);

    private sealed record Statement(string Sql, Column[] Values, IProperty? GeneratedKey);

    private static readonly ConcurrentDictionary<(IModel, Type, string), Statement> Statements = new();

    /// <summary>Inserts every row; a database-generated key is read back into the entity.</summary>
    public static async Task InsertAsync<T>(StudioDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            return;
        var statement = Statements.GetOrAdd((db.Model, typeof(T), ""), _ => InsertStatement(db, typeof(T)));
        if (db.Database.GetDbConnection().CanCreateBatch)
        {
            await InsertBatchedAsync(db, statement, rows, cancellationToken);
            return;
        }
        await using var command = Command(db, statement);
        foreach (var row in rows)
        {
            Bind(command, statement, row);
            if (statement.GeneratedKey is { } key)
                SetKey(key, row, await command.ExecuteScalarAsync(cancellationToken));
            else
                await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Sets the named properties of every row, found by its key.</summary>
    /// <exception cref="DbUpdateConcurrencyException">A row is no longer there.</exception>
    public static async Task UpdateAsync<T>(StudioDbContext db, IReadOnlyCollection<T> rows, string[] properties, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(properties);
        if (rows.Count == 0)
            return;
        var statement = Statements.GetOrAdd((db.Model, typeof(T), string.Join(",", properties)), _ => UpdateStatement(db, typeof(T), properties));
        if (db.Database.GetDbConnection().CanCreateBatch)
        {
            await UpdateBatchedAsync(db, statement, rows, cancellationToken);
            return;
        }
        await using var command = Command(db, statement);
        foreach (var row in rows)
        {
            Bind(command, statement, row);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
                throw Vanished<T>();
        }
    }

    // PostgreSQL (Npgsql) sends a whole batch of statements in one round trip; SQLite runs in process and has no batches.
    private static async Task InsertBatchedAsync<T>(StudioDbContext db, Statement statement, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        await using var batch = Batch(db, statement, rows);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (statement.GeneratedKey is { } key)
            {
                if (!await reader.ReadAsync(cancellationToken))
                    throw new InvalidOperationException($"The database returned no key for a new {typeof(T).Name}.");
                SetKey(key, row, reader.GetValue(0));
            }
            await reader.NextResultAsync(cancellationToken);
        }
    }

    private static async Task UpdateBatchedAsync<T>(StudioDbContext db, Statement statement, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        await using var batch = Batch(db, statement, rows);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        foreach (DbBatchCommand command in batch.BatchCommands)
            if (command.RecordsAffected != 1)
                throw Vanished<T>();
    }

    private static DbBatch Batch<T>(StudioDbContext db, Statement statement, IReadOnlyCollection<T> rows) where T : class
    {
        var connection = db.Database.GetDbConnection();
        var batch = connection.CreateBatch();
        batch.Transaction = Transaction(db);
        // The type mappings make parameters for a command; this one only lends them its provider.
        using var template = connection.CreateCommand();
        foreach (var row in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            for (var i = 0; i < statement.Values.Length; i++)
            {
                var (property, mapping) = statement.Values[i];
                // CreateParameter applies the mapping's value converter itself.
                command.Parameters.Add(mapping.CreateParameter(template, "@p" + i, property.PropertyInfo!.GetValue(row), property.IsNullable));
            }
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    private static void SetKey(IProperty key, object row, object? value) =>
        key.PropertyInfo!.SetValue(row, Convert.ChangeType(value, key.ClrType, System.Globalization.CultureInfo.InvariantCulture));

    private static DbUpdateConcurrencyException Vanished<T>() => new($"A {typeof(T).Name} to update is no longer in the database.");

    private static DbTransaction Transaction(StudioDbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction()
        ?? throw new InvalidOperationException("RowWriter writes inside a transaction; begin one on the context first.");

    private static object ProviderValue(RelationalTypeMapping mapping, object? value) =>
        value is null ? DBNull.Value
        : mapping.Converter is { } converter ? converter.ConvertToProvider(value) ?? DBNull.Value
        : value;

    private static DbCommand Command(StudioDbContext db, Statement statement)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = statement.Sql;
        command.Transaction = Transaction(db);
        for (var i = 0; i < statement.Values.Length; i++)
        {
            var column = statement.Values[i];
            command.Parameters.Add(column.Mapping.CreateParameter(command, "@p" + i, null, column.Property.IsNullable));
        }
        return command;
    }

    private static void Bind(DbCommand command, Statement statement, object row)
    {
        for (var i = 0; i < statement.Values.Length; i++)
        {
            var (property, mapping) = statement.Values[i];
            command.Parameters[i].Value = ProviderValue(mapping, property.PropertyInfo!.GetValue(row));
        }
    }

    private static Statement InsertStatement(StudioDbContext db, Type type)
    {
        var (entity, table, sql) = Describe(db, type);
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var generated = key.ValueGenerated == ValueGenerated.OnAdd ? key : null;
        var columns = entity.GetProperties().Where(p => p != generated).Select(p => Of(p)).ToArray();
        var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => Name(c, table, sql)))}) "
                   + $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})"
                   + (generated is null ? "" : $" RETURNING {sql.DelimitIdentifier(generated.GetColumnName(table)!)}");
        return new Statement(text, columns, generated);
    }

    private static Statement UpdateStatement(StudioDbContext db, Type type, string[] properties)
    {
        var (entity, table, sql) = Describe(db, type);
        var set = properties.Select(name => Of(entity.FindProperty(name)
            ?? throw new ArgumentException($"{type.Name} has no property {name}.", nameof(properties)))).ToArray();
        var key = Of(entity.FindPrimaryKey()!.Properties.Single());
        var text = $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {string.Join(", ", set.Select((c, i) => $"{Name(c, table, sql)} = @p{i}"))} "
                   + $"WHERE {Name(key, table, sql)} = @p{set.Length}";
        return new Statement(text, [.. set, key], null);
    }

    private static (IEntityType Entity, StoreObjectIdentifier Table, ISqlGenerationHelper Sql) Describe(StudioDbContext db, Type type)
    {
        var entity = db.Model.FindEntityType(type) ?? throw new ArgumentException($"{type.Name} is not in the model.", nameof(type));
        var shadow = entity.GetProperties().FirstOrDefault(p => p.PropertyInfo is null);
        if (shadow is not null)
            throw new NotSupportedException($"{type.Name}.{shadow.Name} is a shadow property; RowWriter writes CLR properties only.");
        return (entity, StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()), db.GetService<ISqlGenerationHelper>());
    }

    private static Column Of(IProperty property) => new(property, (RelationalTypeMapping)property.GetTypeMapping());

    private static string Name(Column column, StoreObjectIdentifier table, ISqlGenerationHelper sql) =>
        sql.DelimitIdentifier(column.Property.GetColumnName(table)!);
}
