using System.Security.Cryptography;
using Npgsql;

namespace WebhookStudio.Bench;

/// <summary>
/// Where the studio keeps its data during the run: SQLite in its temporary data directory (the default install),
/// or, with <c>--postgres</c>, a fresh database per studio start on the server <c>ConnectionStrings__Postgres</c>
/// names, dropped at the end.
/// </summary>
internal sealed class BenchStorage : IAsyncDisposable
{
    private readonly string? server;
    private readonly List<string> databases = [];

    private BenchStorage(string? server) => this.server = server;

    public string Name => server is null ? "SQLite" : "PostgreSQL";

    public static BenchStorage For(BenchOptions options)
    {
        if (!options.Postgres)
            return new BenchStorage(null);
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        if (string.IsNullOrWhiteSpace(server))
            throw new BenchException("--postgres needs a server: run the bench through scripts/with-postgres.sh, or set ConnectionStrings__Postgres to a role that may create databases.");
        return new BenchStorage(server);
    }

    /// <summary>The settings a new studio process starts with: none for SQLite, a database of its own on PostgreSQL.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SettingsForNewStudioAsync(CancellationToken cancellationToken)
    {
        if (server is null)
            return new Dictionary<string, string>();
        var name = "whs_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        databases.Add(name);
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new Dictionary<string, string>
        {
            ["Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (server is null || databases.Count == 0)
            return;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        foreach (var name in databases)
        {
            // FORCE: the studio process was killed, but the server may not have noticed its connections closing yet.
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
