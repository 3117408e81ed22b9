using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebhookStudio.Data;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Jobs;

/// <summary>
/// Hangfire runs the background work in-process. A single-server install keeps its jobs in <c>jobs.db</c> beside the
/// studio's database (Hangfire.Storage.SQLite), so enqueued jobs, scheduled retries and the dashboard's history
/// survive a restart. With PostgreSQL the instances share Hangfire.PostgreSql storage in its own schema, so a
/// recurring job runs once per schedule across instances and any instance's server may run an enqueued job.
/// Either way the studio's own tables stay the state of record: a job carries ids, and the work it does is read
/// from and settled in those tables.
/// </summary>
public static class JobsSetup
{
    public const string PostgresSchema = "hangfire";

    public static WebApplicationBuilder AddStudioJobs(this WebApplicationBuilder builder)
    {
        // Storage and activator are this app's own services, not Hangfire's process-wide JobStorage.Current and
        // JobActivator.Current, where the last app configured in a process wins: with several apps in one process
        // (the test host starts many) jobs enqueued by one would run in another's container, against its database.
        // The storage is created when Hangfire's configuration runs, after it set its log provider to our loggers.
        JobStorage? storage = null;
        builder.Services.AddSingleton(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();
            return storage!;
        });
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((sp, configuration) =>
        {
            configuration
                .UseLogProvider(new HangfireLogs(sp.GetRequiredService<ILoggerFactory>()))
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var database = sp.GetRequiredService<StudioDatabase>();
            storage = database.IsShared
                ? configuration.UsePostgreSqlStorage(
                    options => options.UseNpgsqlConnection(database.ConnectionString),
                    new PostgreSqlStorageOptions { SchemaName = PostgresSchema, PrepareSchemaIfNecessary = true }).Entry
                : configuration.UseStorage(SqliteJobs(sp.GetRequiredService<DataDirectory>().JobsPath)).Entry;
        });
        builder.Services.AddHangfireServer(options => options.ServerName = ServerName);

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<StudioDbContext>("database")
            .AddCheck<DatabaseWritableHealthCheck>("database-writes")
            .AddCheck<JobServerHealthCheck>("jobs");
        return builder;
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

    public static WebApplication MapStudioJobs(this WebApplication app)
    {
        // The empty filter list replaces Hangfire's "local requests only" default: the policy decides alone.
        app.MapHangfireDashboardWithAuthorizationPolicy(StudioPolicies.Administer, "/jobs",
            new DashboardOptions { Authorization = [], DashboardTitle = "Webhook Studio jobs", AppPath = "/" });
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }

    /// <summary>Names this process's job server; Hangfire lower-cases it and adds a unique suffix.</summary>
    private static readonly string ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Healthy while a Hangfire server of this process has sent a heartbeat recently (shared storage also lists other instances' servers).</summary>
    private sealed class JobServerHealthCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var servers = storage.GetMonitoringApi().Servers().Where(s => s.Name.StartsWith(ServerName + ":", StringComparison.OrdinalIgnoreCase)).ToList();
            var alive = servers.Any(s => s.Heartbeat is { } beat && DateTime.UtcNow - beat < TimeSpan.FromMinutes(1));
            return Task.FromResult(alive
                ? HealthCheckResult.Healthy($"{servers.Count} job server(s)")
                : HealthCheckResult.Unhealthy("No job server is running."));
        }
    }
}
