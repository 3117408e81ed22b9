using System.Diagnostics;

namespace WebhookStudio.Bench;

/// <summary>
/// One studio round of the deliveries run: items posted through the receiver until every delivery reached the sink
/// (end to end), and per delivery the time from its activity (the item change the pipeline recorded) until the sink
/// had it. CPU is counted until the studio is idle again, so the attempts recorded after the last arrival count too.
/// </summary>
internal sealed record DeliveryResult(
    int Expected,
    int Arrived,
    long Repeats,
    TimeSpan EndToEnd,
    double[] SortedActivityToDeliveredMs,
    IReadOnlyDictionary<string, int> Counts,
    LoadResult Posts,
    TimeSpan StudioCpu,
    TimeSpan BenchCpu)
{
    public double DeliveriesPerSecond => Arrived / EndToEnd.TotalSeconds;

    public double PercentileMs(double percentile) => LoadResult.Percentile(SortedActivityToDeliveredMs, percentile);
}

/// <summary>One relay round: the same payloads through the <see cref="RelayBaseline"/>, until every attempt was recorded.</summary>
internal sealed record RelayResult(int Expected, int Arrived, long Repeats, TimeSpan EndToEnd, long FailedSends, TimeSpan BenchCpu)
{
    public double DeliveriesPerSecond => Arrived / EndToEnd.TotalSeconds;
}

internal static class DeliveryProbe
{
    /// <summary>Payloads sent and delivered before measuring, so JIT (tiering up takes thousands of calls), caches and connections are warm.</summary>
    public const int WarmUpPayloads = 4_000;

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    /// <summary>The studio settings of the run: the sink is on loopback, which the outbound guard refuses unless told.</summary>
    public static IReadOnlyDictionary<string, string> StudioSettings(int concurrency) => new Dictionary<string, string>
    {
        ["Outbound__AllowedNetworks__0"] = "127.0.0.0/8",
        ["Deliveries__ConcurrencyPerSubscription"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Payloads per round, enough for <see cref="BenchOptions.Deliveries"/> items.</summary>
    public static int PayloadsPerRound(BenchOptions options, PushPayloads payloads) =>
        (options.Deliveries + payloads.EntitiesPerPayload - 1) / payloads.EntitiesPerPayload;

    public static async Task WarmUpStudioAsync(StudioProcess studio, StudioClient client, DeliverySink sink, PushPayloads payloads, BenchOptions options, CancellationToken cancellationToken)
    {
        var source = await client.CreateGithubSourceAsync(cancellationToken);
        await client.CreateSubscriptionAsync(source.Id, sink.Url, cancellationToken);
        var delivered = await WarmUpAsync(new Uri(studio.BaseAddress, $"/hooks/{source.Token}"), sink, payloads, options, cancellationToken);
        var settled = await studio.SettleAsync(cancellationToken);
        Console.WriteLine($"deliveries: studio warmed up ({delivered:N0} delivered), settled {settled.TotalSeconds:0.0} s after (the JIT's background tier-up done)");
    }

    public static async Task WarmUpRelayAsync(RelayBaseline relay, DeliverySink sink, PushPayloads payloads, BenchOptions options, CancellationToken cancellationToken)
    {
        var delivered = await WarmUpAsync(relay.HookUrl, sink, payloads, options, cancellationToken);
        await WaitForAsync(() => relay.AttemptsRecorded >= delivered, "relay warm-up attempts recorded", cancellationToken);
        Console.WriteLine($"deliveries: relay baseline warmed up ({delivered:N0} delivered and recorded)");
    }

    private static async Task<int> WarmUpAsync(Uri hookUrl, DeliverySink sink, PushPayloads payloads, BenchOptions options, CancellationToken cancellationToken)
    {
        sink.Reset();
        var warmUp = await LoadGenerator.SendAsync(PostTarget.Receiver(hookUrl), payloads.Body, options.Connections, WarmUpPayloads, cancellationToken);
        var delivered = (int)warmUp.Accepted * payloads.EntitiesPerPayload;
        await WaitForAsync(() => sink.DistinctWebhookIds >= delivered, "warm-up deliveries at the sink", cancellationToken);
        return delivered;
    }

    public static async Task<DeliveryResult> MeasureStudioAsync(
        StudioProcess studio, StudioClient client, DeliverySink sink, PushPayloads payloads, BenchOptions options, int round, CancellationToken cancellationToken)
    {
        var source = await client.CreateGithubSourceAsync(cancellationToken);
        var subscription = await client.CreateSubscriptionAsync(source.Id, sink.Url, cancellationToken);
        var receiver = PostTarget.Receiver(new Uri(studio.BaseAddress, $"/hooks/{source.Token}"));

        sink.Reset();
        var (studioCpuAtStart, benchCpuAtStart) = (studio.CpuTime, BenchCpu());
        var started = DateTime.UtcNow;
        var posts = await LoadGenerator.SendAsync(receiver, payloads.Body, options.Connections, PayloadsPerRound(options, payloads), cancellationToken,
            first: FirstBody(options, payloads, round));
        var expected = (int)posts.Accepted * payloads.EntitiesPerPayload;
        await WaitForAsync(() => sink.DistinctWebhookIds >= expected, $"round {round}: studio deliveries at the sink", cancellationToken);
        var endToEnd = sink.LastArrival - started;
        await studio.SettleAsync(cancellationToken);
        var (studioCpu, benchCpu) = (studio.CpuTime - studioCpuAtStart, BenchCpu() - benchCpuAtStart);

        var latencies = new List<double>(expected);
        foreach (var delivery in await client.GetDeliveriesAsync(subscription, cancellationToken))
            if (sink.ArrivedAt(delivery.WebhookId) is { } arrived)
                latencies.Add((arrived - delivery.CreatedAt).TotalMilliseconds);
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        var counts = await client.GetDeliveryCountsAsync(subscription, cancellationToken);
        return new DeliveryResult(expected, sink.DistinctWebhookIds, sink.Repeats, endToEnd, sorted, counts, posts, studioCpu, benchCpu);
    }

    public static async Task<RelayResult> MeasureRelayAsync(
        RelayBaseline relay, DeliverySink sink, PushPayloads payloads, BenchOptions options, int round, CancellationToken cancellationToken)
    {
        sink.Reset();
        var recordedBefore = relay.AttemptsRecorded;
        var failedBefore = relay.FailedSends;
        var benchCpuAtStart = BenchCpu();
        var started = DateTime.UtcNow;
        var posts = await LoadGenerator.SendAsync(PostTarget.Receiver(relay.HookUrl), payloads.Body, options.Connections, PayloadsPerRound(options, payloads),
            cancellationToken, first: FirstBody(options, payloads, round));
        var expected = (int)posts.Accepted * payloads.EntitiesPerPayload;
        await WaitForAsync(() => sink.DistinctWebhookIds >= expected, $"round {round}: relay deliveries at the sink", cancellationToken);
        var endToEnd = sink.LastArrival - started;
        await WaitForAsync(() => relay.AttemptsRecorded - recordedBefore >= expected, $"round {round}: relay attempts recorded", cancellationToken);
        return new RelayResult(expected, sink.DistinctWebhookIds, sink.Repeats, endToEnd, relay.FailedSends - failedBefore, BenchCpu() - benchCpuAtStart);
    }

    /// <summary>The studio and the relay of one round get the same bodies; every round new ones.</summary>
    private static long FirstBody(BenchOptions options, PushPayloads payloads, int round) =>
        WarmUpPayloads + (long)round * PayloadsPerRound(options, payloads);

    private static TimeSpan BenchCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static async Task WaitForAsync(Func<bool> done, string what, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > GiveUpAfter)
                throw new BenchException($"Deliveries: still waiting for {what} after {GiveUpAfter.TotalMinutes} minutes.");
            await Task.Delay(PollEvery, cancellationToken);
        }
    }
}
