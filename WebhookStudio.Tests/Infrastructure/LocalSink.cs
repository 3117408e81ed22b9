using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>A request the sink received, as it arrived.</summary>
public sealed record SinkRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A receiver for outbound tests: a tiny Kestrel app on 127.0.0.1 with a free port that records every
/// request and answers what <see cref="Respond"/> says (200 "ok" by default). Tests allow 127.0.0.0/8
/// through <c>Outbound:AllowedNetworks</c> to reach it.
/// </summary>
public sealed class LocalSink : IAsyncDisposable
{
    private readonly WebApplication app;

    private LocalSink(WebApplication app) => this.app = app;

    public ConcurrentQueue<SinkRequest> Requests { get; } = new();

    /// <summary>Answers a request; may write anything to the response.</summary>
    public Func<SinkRequest, HttpContext, Task> Respond { get; set; } = (_, context) => context.Response.WriteAsync("ok");

    public string BaseUrl { get; private set; } = "";

    public string Url(string path = "/hook") => BaseUrl + path;

    public static async Task<LocalSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new LocalSink(app);
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var request = new SinkRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray());
            sink.Requests.Enqueue(request);
            await sink.Respond(request, context);
        });
        await app.StartAsync();
        sink.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    public SinkRequest Single() => Assert.Single(Requests);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
