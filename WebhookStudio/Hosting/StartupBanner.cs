using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebhookStudio.Hosting;

/// <summary>Tells the person who just started the server which address to open.</summary>
internal static partial class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var url = addresses?.FirstOrDefault() ?? "(no address)";
            LogReady(app.Logger, url.Replace("://[::]", "://localhost", StringComparison.Ordinal)
                                    .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook Studio is ready: open {Url} in your browser.")]
    private static partial void LogReady(ILogger logger, string url);
}
