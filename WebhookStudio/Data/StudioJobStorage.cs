using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;

namespace WebhookStudio.Data;

/// <summary>
/// Where Hangfire keeps its jobs, chosen once from the studio's database: beside a single server's SQLite database in
/// <c>jobs.db</c> (Hangfire.Storage.SQLite), or in the shared PostgreSQL database in its own schema (Hangfire.PostgreSql),
/// where every instance's servers take jobs from the same queues.
/// </summary>
public static class StudioJobStorage
{
    public const string PostgresSchema = "hangfire";

    public static JobStorage UseStudioJobStorage(this IGlobalConfiguration configuration, StudioDatabase database, DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(directory);
        return database.IsShared
            ? configuration.UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(database.ConnectionString),
                new PostgreSqlStorageOptions { SchemaName = PostgresSchema, PrepareSchemaIfNecessary = true }).Entry
            : configuration.UseStorage(SqliteJobs(directory.JobsPath)).Entry;
    }

    /// <summary>
    /// Hangfire's tables in their own SQLite file, written in WAL mode with <c>synchronous = NORMAL</c>: a job's commit
    /// does not wait for the disk. A power cut may lose the last jobs written; the deliveries table keeps what they were
    /// for, and its reconciler enqueues them again.
    /// </summary>
    private static SQLiteStorage SqliteJobs(string path) => new(
        new SQLiteDbConnectionFactory(() =>
        {
            var connection = new SQLite.SQLiteConnection(path, SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.NoMutex,
                storeDateTimeAsTicks: true) { BusyTimeout = TimeSpan.FromSeconds(10) };
            connection.Execute("PRAGMA synchronous = NORMAL");
            return connection;
        }),
        new SQLiteStorageOptions
        {
            // Idle workers look for new jobs this often (each look takes the storage's dequeue lock, a small write);
            // a busy worker takes the next one at once. Longer waits show directly in the delivery latency.
            QueuePollInterval = TimeSpan.FromMilliseconds(200),
            JournalMode = SQLiteStorageOptions.JournalModes.WAL,
        });

}
