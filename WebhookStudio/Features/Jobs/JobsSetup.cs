using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebhookStudio.Data;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Jobs;

/// <summary>
/// Hangfire runs the background work in-process. Its in-memory storage forgets jobs on restart, which is
/// fine because our own SQLite tables are the state of record and reconcilers re-enqueue due work at start.
/// </summary>
public static class JobsSetup
{
    public static WebApplicationBuilder AddStudioJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromHours(6) }));
        builder.Services.AddHangfireServer(options => options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}");

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<StudioDbContext>("database")
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

    /// <summary>Healthy while a Hangfire server of this process has sent a heartbeat recently.</summary>
    private sealed class JobServerHealthCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var servers = storage.GetMonitoringApi().Servers();
            var alive = servers.Any(s => s.Heartbeat is { } beat && DateTime.UtcNow - beat < TimeSpan.FromMinutes(1));
            return Task.FromResult(alive
                ? HealthCheckResult.Healthy($"{servers.Count} job server(s)")
                : HealthCheckResult.Unhealthy("No job server is running."));
        }
    }
}
