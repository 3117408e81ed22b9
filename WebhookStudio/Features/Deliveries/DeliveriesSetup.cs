using Hangfire;
using Microsoft.Extensions.Options;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

public static class DeliveriesSetup
{
    /// <summary>The outbox fan-out, the delivery pipeline with its own Hangfire workers, the single writer, the reconciler and the log.</summary>
    public static WebApplicationBuilder AddStudioDeliveries(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section);
        services.AddSingleton<EventHub<DeliveryChanged>>();
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<DeliveryFanOut>();
        services.AddSingleton<DeliverySlots>();
        services.AddSingleton<DeliveryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWriter>());
        services.AddSingleton<ClaimStep>();
        services.AddSingleton<BuildStep>();
        services.AddSingleton<SendStep>();
        services.AddSingleton<RecordStep>();
        services.AddTransient<DeliveryJob>();
        services.AddSingleton<DeliveryReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryReconciler>());
        services.AddSingleton<DeliveryService>();

        // Deliveries get workers of their own, so a backlog of sends never delays the studio's other jobs, and the
        // scheduler looks for due retries every second instead of every 15 s.
        services.AddHangfireServer((sp, options) =>
        {
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:deliveries";
            options.Queues = [DeliveryQueue.Name];
            options.WorkerCount = Math.Max(1, sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.Workers);
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        return builder;
    }

    public static WebApplication MapStudioDeliveries(this WebApplication app)
    {
        app.MapDeliveryEndpoints();
        return app;
    }
}
