using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebhookStudio.Bench;

/// <summary>
/// The third-party endpoint of the deliveries run: a bare Kestrel endpoint in the bench's own process that
/// answers 200 at once and notes when each <c>webhook-id</c> first arrived (and how often one came again).
/// It keeps the first request as it came, so the baseline can send exactly the same one.
/// </summary>
internal sealed class DeliverySink : IAsyncDisposable
{
    /// <summary>Headers a receiver needs to check a Standard Webhooks delivery; the baseline sends them too.</summary>
    private static readonly string[] SampleHeaders = ["webhook-id", "webhook-timestamp", "webhook-signature", "user-agent"];

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, DateTime> firstArrival = new(StringComparer.Ordinal);
    private long requests;
    private long repeats;
    private volatile SinkSample? sample;

    public Uri Url { get; private set; } = default!;

    /// <summary>Every request, the baseline's included.</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Deliveries that arrived again with a webhook-id seen before (retries after a lost answer, or a double send).</summary>
    public long Repeats => Interlocked.Read(ref repeats);

    public int DistinctWebhookIds => firstArrival.Count;

    public SinkSample? Sample => sample;

    private DeliverySink(WebApplication app) => this.app = app;

    public static async Task<DeliverySink> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sink = new DeliverySink(app);
        app.MapPost("/sink", (HttpRequest request) => sink.ReceiveAsync(request));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        sink.Url = new Uri(new Uri(address), "/sink");
        return sink;
    }

    /// <summary>When the delivery with this webhook-id first reached the sink (UTC), if it did.</summary>
    public DateTime? ArrivedAt(string webhookId) => firstArrival.TryGetValue(webhookId, out var at) ? at : null;

    /// <summary>Forgets what arrived so far (the warm-up's deliveries), keeping the sample.</summary>
    public void Reset()
    {
        firstArrival.Clear();
        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref repeats, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var arrived = DateTime.UtcNow;
        Interlocked.Increment(ref requests);
        if (sample is null)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            sample = new SinkSample(buffer.ToArray(),
                SampleHeaders.Where(h => request.Headers.ContainsKey(h)).Select(h => KeyValuePair.Create(h, request.Headers[h].ToString())).ToList());
        }
        else
        {
            // Read to the end, as a real receiver would before answering.
            await request.Body.CopyToAsync(Stream.Null, request.HttpContext.RequestAborted);
        }
        if (request.Headers["webhook-id"].ToString() is { Length: > 0 } webhookId && !firstArrival.TryAdd(webhookId, arrived))
            Interlocked.Increment(ref repeats);
        return Results.Ok();
    }
}

/// <summary>One delivery as the sink received it: the body and the webhook headers.</summary>
internal sealed record SinkSample(byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers);
