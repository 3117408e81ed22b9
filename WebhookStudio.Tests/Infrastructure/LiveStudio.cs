namespace WebhookStudio.Tests.Infrastructure;

/// <summary>The real app on Kestrel, on a free loopback port, for browser tests and anything that needs real sockets.</summary>
public sealed class LiveStudio : StudioFactory
{
    public LiveStudio(string? dataDirectory = null) : base(dataDirectory)
    {
        UseKestrel(0);
    }

    public Uri Start()
    {
        StartServer();
        return ClientOptions.BaseAddress;
    }
}
