using Hangfire;
using Hangfire.AspNetCore;
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
            storage = configuration.UseStudioJobStorage(sp.GetRequiredService<StudioDatabase>(), sp.GetRequiredService<DataDirectory>());
        });
        builder.Services.AddHangfireServer(options => options.ServerName = ServerName);

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<StudioDbContext>("database")
            .AddCheck<DatabaseWritableHealthCheck>("database-writes")
            .AddCheck<JobServerHealthCheck>("jobs");
        return builder;
    }

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
