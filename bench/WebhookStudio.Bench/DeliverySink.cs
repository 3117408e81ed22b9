using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WebhookStudio.Bench;

/// <summary>
/// The third-party endpoint of the deliveries run: a bare Kestrel endpoint in the bench's own process that
/// answers 200 at once and notes when each <c>webhook-id</c> first arrived (and how often one came again).
/// </summary>
internal sealed class DeliverySink : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, DateTime> firstArrival = new(StringComparer.Ordinal);
    private long requests;
    private long repeats;

    public Uri Url { get; }

    /// <summary>Every request since the last <see cref="Reset"/>.</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Deliveries that arrived again with a webhook-id seen before (retries after a lost answer, or a double send).</summary>
    public long Repeats => Interlocked.Read(ref repeats);

    public int DistinctWebhookIds => firstArrival.Count;

    /// <summary>When the last new webhook-id arrived (UTC).</summary>
    public DateTime LastArrival => firstArrival.Values.DefaultIfEmpty(DateTime.MinValue).Max();

    private DeliverySink(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public static async Task<DeliverySink> StartAsync(CancellationToken cancellationToken)
    {
        DeliverySink? sink = null;
        var (app, address) = await LoopbackApp.StartAsync(null, app => app.MapPost("/sink", (HttpRequest request) => sink!.ReceiveAsync(request)), cancellationToken);
        sink = new DeliverySink(app, new Uri(address, "/sink"));
        return sink;
    }

    /// <summary>When the delivery with this webhook-id first reached the sink (UTC), if it did.</summary>
    public DateTime? ArrivedAt(string webhookId) => firstArrival.TryGetValue(webhookId, out var at) ? at : null;

    /// <summary>Forgets what arrived so far (the warm-up's or the previous round's deliveries).</summary>
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
        // Read to the end, as a real receiver would before answering.
        await request.Body.CopyToAsync(Stream.Null, request.HttpContext.RequestAborted);
        if (request.Headers["webhook-id"].ToString() is { Length: > 0 } webhookId && !firstArrival.TryAdd(webhookId, arrived))
            Interlocked.Increment(ref repeats);
        return Results.Ok();
    }
}
