using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebhookStudio.Data;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Features.Sources.Setup;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources;

public static class SourcesSetup
{
    public static WebApplicationBuilder AddStudioSources(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReceiverOptions>().BindConfiguration(ReceiverOptions.Section);
        services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section);
        services.AddHttpContextAccessor();
        services.AddSingleton<EventHub<StudioEvent>>();
        services.AddSingleton<StudioEventRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<StudioEventRelay>());
        services.AddSingleton<SourceSecrets>();
        services.TryAddSingleton<KnownSecretsReader>();
        services.AddSingleton<ReceiverDirectory>();
        services.AddSingleton<ReceiverRateLimiter>();
        services.AddSingleton<ReceiverUrls>();
        services.AddSingleton<ReceiverRejections>();
        services.AddSingleton<PayloadReceiver>();
        services.AddSingleton<SamplePayloadLibrary>();
        services.AddSingleton<SourceSetupService>();
        services.AddSingleton<SourceHealthMonitor>();
        services.AddSingleton<PayloadSignal>();
        services.AddSingleton<PayloadWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<PayloadWriter>());
        services.AddSingleton<PayloadProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<PayloadProcessor>());
        services.AddSingleton<SourceService>();
        services.AddSingleton<PayloadQueries>();
        services.AddSingleton<Settings.MappingPreviewService>();
        services.AddSingleton<Settings.VerificationCheck>();
        services.AddSingleton<RecentPayloadDocuments>();
        services.AddSingleton<FilterBacktest>();
        services.AddTransient<PayloadRetention>();
        services.AddSingleton<IStartupSeeder, RetentionSchedule>();
        return builder;
    }

    public static WebApplication MapStudioSources(this WebApplication app)
    {
        app.MapReceiver();
        app.MapReceiverChecks();
        app.MapSourceEndpoints();
        app.MapSourceSetupEndpoints();
        app.MapCatalogEndpoints();
        return app;
    }

    private sealed class RetentionSchedule(IRecurringJobManager jobs) : IStartupSeeder
    {
        public Task SeedAsync(CancellationToken cancellationToken)
        {
            jobs.AddOrUpdate<PayloadRetention>(PayloadRetention.JobId, r => r.PurgeAsync(), Cron.Hourly());
            return Task.CompletedTask;
        }
    }
}
