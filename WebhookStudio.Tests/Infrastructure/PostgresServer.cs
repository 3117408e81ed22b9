using Npgsql;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the storage tests use: <c>ConnectionStrings__Postgres</c>, a role that may create
/// databases (<c>./test.sh</c> starts a throwaway server and sets it). Each test class gets a database of its own.
/// </summary>
public static class PostgresServer
{
    public const string SkipReason =
        "No PostgreSQL server: set ConnectionStrings__Postgres (./test.sh starts a throwaway one and sets it).";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } value ? value : null;

    public static async Task<PostgresTestDatabase> CreateDatabaseAsync()
    {
        var admin = ConnectionString ?? throw new InvalidOperationException(SkipReason);
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new PostgresTestDatabase(admin, name);
    }
}

/// <summary>A fresh database, dropped (with whatever connections are left) on dispose.</summary>
public sealed class PostgresTestDatabase(string adminConnectionString, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ToString();

    /// <summary>An app instance on this database; several such factories are several instances side by side.</summary>
    public StudioFactory CreateFactory() =>
        new StudioFactory().With("Storage:Provider", "PostgreSql").With("ConnectionStrings:Postgres", ConnectionString);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        // Idle pooled connections would otherwise hold the database (and server connection slots) for minutes.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs PostgreSQL: skipped, saying why, when no server is configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.ConnectionString is null)
            Skip = PostgresServer.SkipReason;
    }
}

/// <summary>A theory that needs PostgreSQL: skipped, saying why, when no server is configured.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.ConnectionString is null)
            Skip = PostgresServer.SkipReason;
    }
}
