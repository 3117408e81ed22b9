using System.Diagnostics;

namespace WebhookStudio.Bench;

/// <summary>
/// What the deliveries run measured: items posted through the receiver until every delivery reached the sink
/// (end to end), and per delivery the time from its activity (the item change the pipeline recorded) until
/// the sink had it.
/// </summary>
internal sealed record DeliveryResult(
    int Expected,
    int Arrived,
    long Repeats,
    TimeSpan EndToEnd,
    double[] SortedActivityToDeliveredMs,
    IReadOnlyDictionary<string, int> Counts,
    LoadResult Posts,
    TimeSpan StudioCpu)
{
    public double DeliveriesPerSecond => Arrived / EndToEnd.TotalSeconds;

    public double PercentileMs(double percentile) => LoadResult.Percentile(SortedActivityToDeliveredMs, percentile);
}

internal static class DeliveryProbe
{
    /// <summary>Payloads sent and delivered before measuring, so JIT (tiering up takes thousands of calls), caches and connections are warm.</summary>
    private const int WarmUpPayloads = 4_000;

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    /// <summary>The studio settings of the run: the sink is on loopback, which the outbound guard refuses unless told.</summary>
    public static IReadOnlyDictionary<string, string> StudioSettings(int concurrency) => new Dictionary<string, string>
    {
        ["Outbound__AllowedNetworks__0"] = "127.0.0.0/8",
        ["Deliveries__ConcurrencyPerSubscription"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<DeliveryResult> MeasureAsync(
        StudioProcess studio, StudioClient client, DeliverySink sink, PushPayloads payloads, BenchOptions options, CancellationToken cancellationToken)
    {
        var source = await client.CreateGithubSourceAsync(cancellationToken);
        var subscription = await client.CreateSubscriptionAsync(source.Id, sink.Url, cancellationToken);
        var receiver = PostTarget.Receiver(new Uri(studio.BaseAddress, $"/hooks/{source.Token}"));

        var warmUp = await LoadGenerator.SendAsync(receiver, payloads.Body, options.Connections, WarmUpPayloads, cancellationToken);
        var warmUpDeliveries = (int)warmUp.Accepted * payloads.EntitiesPerPayload;
        await WaitForSinkAsync(sink, warmUpDeliveries, "warm-up", cancellationToken);
        sink.Reset();
        var settled = await studio.SettleAsync(cancellationToken);
        Console.WriteLine($"deliveries: the studio settled {settled.TotalSeconds:0.0} s after the warm-up (the JIT's background tier-up done)");

        var payloadCount = (options.Deliveries + payloads.EntitiesPerPayload - 1) / payloads.EntitiesPerPayload;
        Console.WriteLine($"deliveries: warm-up done ({warmUpDeliveries} delivered); posting {payloadCount:N0} payloads ({payloadCount * payloads.EntitiesPerPayload:N0} items)…");
        var cpuAtStart = studio.CpuTime;
        var started = DateTime.UtcNow;
        var posts = await LoadGenerator.SendAsync(receiver, payloads.Body, options.Connections, payloadCount, cancellationToken, first: WarmUpPayloads);
        var expected = (int)posts.Accepted * payloads.EntitiesPerPayload;
        await WaitForSinkAsync(sink, expected, "measured run", cancellationToken);
        var studioCpu = studio.CpuTime - cpuAtStart;

        var deliveries = await client.GetDeliveriesAsync(subscription, cancellationToken);
        var lastArrival = DateTime.MinValue;
        var latencies = new List<double>(expected);
        foreach (var delivery in deliveries)
        {
            if (sink.ArrivedAt(delivery.WebhookId) is not { } arrived || delivery.CreatedAt < started)
                continue;
            latencies.Add((arrived - delivery.CreatedAt).TotalMilliseconds);
            if (arrived > lastArrival) lastArrival = arrived;
        }
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        var counts = await client.GetDeliveryCountsAsync(subscription, cancellationToken);
        return new DeliveryResult(expected, sink.DistinctWebhookIds, sink.Repeats, lastArrival - started, sorted, counts, posts, studioCpu);
    }

    private static async Task WaitForSinkAsync(DeliverySink sink, int expected, string phase, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (sink.DistinctWebhookIds < expected)
        {
            if (waited.Elapsed > GiveUpAfter)
                throw new BenchException($"Deliveries ({phase}): the sink had {sink.DistinctWebhookIds:N0} of {expected:N0} after {GiveUpAfter.TotalMinutes} minutes.");
            await Task.Delay(PollEvery, cancellationToken);
        }
    }
}
