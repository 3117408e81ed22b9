using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using WebhookStudio.Hosting;

namespace WebhookStudio.Data;

/// <summary>
/// The configured database: which engine, how to reach it, and the few things raw SQL must do differently on
/// each (the receiver's group commit writes with plain ADO.NET for speed, not through EF Core).
/// </summary>
public sealed class StudioDatabase
{
    private StudioDatabase(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Several instances may share a PostgreSQL database; a SQLite file belongs to one process.</summary>
    public bool IsShared => Provider == StorageProvider.PostgreSql;

    public static StudioDatabase Create(StorageOptions options, IConfiguration configuration, Func<DataDirectory> dataDirectory)
    {
        if (options.Provider == StorageProvider.Sqlite)
            return new StudioDatabase(StorageProvider.Sqlite, dataDirectory().ConnectionString);

        var connectionString = configuration.GetConnectionString(StorageOptions.PostgresConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"{StorageOptions.Section}:Provider is PostgreSql, but ConnectionStrings:{StorageOptions.PostgresConnectionName} is empty. " +
                "Set it, e.g. ConnectionStrings__Postgres=\"Host=db;Database=webhook_studio;Username=studio;Password=…\".");
        return new StudioDatabase(StorageProvider.PostgreSql, connectionString);
    }

    /// <summary>
    /// A list in a query (<c>ids.Contains(x.Id)</c>) goes to the database as one parameter (SQLite <c>json_each</c>,
    /// PostgreSQL an array): the SQL stays the same whatever the list's length, so EF Core compiles it once. EF Core 10's
    /// default, a parameter per element, builds new SQL and delegates for every list length (dotnet/efcore#37152).
    /// </summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsShared)
            options.UseNpgsql(ConnectionString, npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        else
            options.UseSqlite(ConnectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
    }

    /// <summary>A context of the provider's subclass, not pooled: for one that borrows a connection (see <see cref="StudioDbContextFactory"/>).</summary>
    public StudioDbContext CreateContext(DbContextOptions<StudioDbContext> options) =>
        IsShared ? new PostgresStudioDbContext(options) : new SqliteStudioDbContext(options);

    public DbConnection CreateConnection() =>
        IsShared ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    /// <summary>A UTC time as a raw SQL parameter, in the form EF Core stores it so its queries compare correctly.</summary>
    public object Timestamp(DateTime utc) => IsShared
        ? DateTime.SpecifyKind(utc, DateTimeKind.Utc)
        : utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}

/// <summary>
/// Hands out the provider's context subclass to every service that asks for a <see cref="StudioDbContext"/>, from a
/// pool: every operation takes one, and building a context's internal services each time is a noticeable cost.
/// Disposing a context gives it back, its state reset by EF Core. A context that borrows a connection
/// (<c>SetDbConnection</c>) must not come from here, as a pooled context keeps it (dotnet/efcore#30704): use
/// <see cref="StudioDatabase.CreateContext"/>.
/// </summary>
internal sealed class StudioDbContextFactory(DbContextOptions<StudioDbContext> options, StudioDatabase database) : IDbContextFactory<StudioDbContext>
{
    private readonly Func<StudioDbContext> rent = database.IsShared ? Pool<PostgresStudioDbContext>(options) : Pool<SqliteStudioDbContext>(options);

    public StudioDbContext CreateDbContext() => rent();

    private static Func<StudioDbContext> Pool<TContext>(DbContextOptions<StudioDbContext> options) where TContext : StudioDbContext
    {
        var pool = new PooledDbContextFactory<TContext>(new DbContextOptions<TContext>(options.Extensions.ToDictionary(e => e.GetType())));
        return pool.CreateDbContext;
    }
}
