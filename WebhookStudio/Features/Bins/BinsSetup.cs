using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebhookStudio.Data;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Bins;

public static class BinsSetup
{
    public static WebApplicationBuilder AddStudioBins(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BinOptions>().BindConfiguration(BinOptions.Section);
        services.AddSingleton<EventHub<BinEvent>>();
        services.AddSingleton<BinService>();
        services.TryAddSingleton<KnownSecretsReader>();
        services.AddTransient<BinRetention>();
        services.AddSingleton<IStartupSeeder, RetentionSchedule>();
        return builder;
    }

    public static WebApplication MapStudioBins(this WebApplication app)
    {
        app.MapBinReceiver();
        app.MapBinEndpoints();
        return app;
    }

    private sealed class RetentionSchedule(IRecurringJobManager jobs) : IStartupSeeder
    {
        public Task SeedAsync(CancellationToken cancellationToken)
        {
            jobs.AddOrUpdate<BinRetention>(BinRetention.JobId, r => r.PurgeAsync(), Cron.Hourly());
            return Task.CompletedTask;
        }
    }
}
