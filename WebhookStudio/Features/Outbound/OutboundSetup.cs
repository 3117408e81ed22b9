using Microsoft.Extensions.Options;

namespace WebhookStudio.Features.Outbound;

public static class OutboundSetup
{
    /// <summary>The guarded sender, signing and template rendering that subscriptions, tests and deliveries share.</summary>
    public static WebApplicationBuilder AddStudioOutbound(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section);
        services.AddSingleton<AddressGuard>();
        services.AddSingleton<OutboundSecrets>();
        services.AddSingleton<StudioSelfDispatch>();
        services.AddHttpClient<OutboundSender>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundSender.CreateHandler(
                sp.GetRequiredService<IOptions<OutboundOptions>>().Value, sp.GetRequiredService<AddressGuard>()))
            // The default logging handlers write every URL, and API-key connectors put secrets in query strings.
            .RemoveAllLoggers();
        return builder;
    }
}
