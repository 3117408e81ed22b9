namespace WebhookStudio.Bench;

/// <summary>
/// The run, in order: ingest rounds (the studio's receiver under load and its pipeline draining, then the ingest
/// baseline under the same load), then delivery rounds (items through the studio's receiver to a local sink, then the
/// same payloads through the relay baseline). Each part runs on a fresh studio process with fresh data, stopped
/// before the next part; within a round the studio is idle while its baseline runs, so no two share the 2 cores.
/// </summary>
internal static class BenchRun
{
    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var payloads = PushPayloads.Load(RepoPaths.PayloadsFolder(options.PayloadsFolder));
        await using var storage = BenchStorage.For(options);
        Report.PrintHeader(options, payloads, storage.Name);

        if (!options.SkipIngest)
            await IngestAsync(options, payloads, storage, cancellationToken);
        if (options.Deliveries > 0)
            await DeliveriesAsync(options, payloads, storage, cancellationToken);
    }

    private static async Task IngestAsync(BenchOptions options, PushPayloads payloads, BenchStorage storage, CancellationToken cancellationToken)
    {
        await using var baseline = options.SkipBaseline ? null : await BaselineReceiver.StartAsync(cancellationToken);
        if (baseline is not null)
        {
            await LoadGenerator.SendAsync(PostTarget.Receiver(baseline.HookUrl), payloads.Body, options.Connections, IngestWarmUpPayloads, cancellationToken);
            Console.WriteLine($"ingest: baseline running at {baseline.HookUrl}, warmed up with {IngestWarmUpPayloads:N0} payloads as the studio is");
        }

        var rounds = new List<IngestRound>(options.Rounds);
        long peakMemory;
        StudioLog log;
        using (var studio = await StudioProcess.StartAsync(await storage.SettingsForNewStudioAsync(cancellationToken), cancellationToken))
        using (var client = new StudioClient(studio))
        {
            await WarmUpIngestAsync(studio, client, payloads, options, cancellationToken);
            for (var round = 1; round <= options.Rounds; round++)
            {
                var source = await client.CreateGithubSourceAsync(cancellationToken);
                var cpuAtStart = studio.CpuTime;
                var studioLoad = await LoadGenerator.RunAsync(PostTarget.Receiver(new Uri(studio.BaseAddress, $"/hooks/{source.Token}")), payloads.Body,
                    options.Connections, BenchOptions.WarmUp, options.Duration, cancellationToken);
                var cpuAtLoadEnd = studio.CpuTime;
                var pipeline = await PipelineProbe.MeasureAsync(client, source.Id, studioLoad, payloads.EntitiesPerPayload, cancellationToken);
                var (cpuDuringLoad, cpuDuringDrain) = (cpuAtLoadEnd - cpuAtStart, studio.CpuTime - cpuAtLoadEnd);
                await studio.SettleAsync(cancellationToken);

                LoadResult? baselineLoad = baseline is null ? null : await LoadGenerator.RunAsync(PostTarget.Receiver(baseline.HookUrl), payloads.Body,
                    options.Connections, BenchOptions.WarmUp, options.Duration, cancellationToken);
                var measured = new IngestRound(studioLoad, pipeline, CpuFigures.From(studioLoad, cpuDuringLoad, cpuDuringDrain, pipeline, baselineLoad), baselineLoad);
                rounds.Add(measured);
                Console.WriteLine($"ingest: round {round}: studio {studioLoad.AcceptedPerSecond:N0} accepted/s" +
                                  (baselineLoad is null ? "" : $", baseline {baselineLoad.AcceptedPerSecond:N0}/s, ratio {measured.Ratio:0.00}"));
            }
            peakMemory = studio.PeakMemory;
            log = StudioLog.Of(studio);
        }

        Report.PrintIngest(rounds, peakMemory, baseline?.DefaultSynchronous, storage.Name);
        log.Print();
    }

    /// <summary>Payloads sent before the measured rounds, to a source of their own, so the rounds measure a warm studio.</summary>
    private const int IngestWarmUpPayloads = 10_000;

    /// <summary>
    /// A studio runs for days: the run should measure it warm, not its JIT compiling. The warm-up payloads go to a
    /// source of their own (the measured sources' figures are their own), are processed, and the studio settles.
    /// </summary>
    private static async Task WarmUpIngestAsync(StudioProcess studio, StudioClient client, PushPayloads payloads, BenchOptions options, CancellationToken cancellationToken)
    {
        var source = await client.CreateGithubSourceAsync(cancellationToken);
        await LoadGenerator.SendAsync(PostTarget.Receiver(new Uri(studio.BaseAddress, $"/hooks/{source.Token}")), payloads.Body,
            options.Connections, IngestWarmUpPayloads, cancellationToken);
        await PipelineProbe.DrainAsync(client, source.Id, cancellationToken);
        var settled = await studio.SettleAsync(cancellationToken);
        Console.WriteLine($"ingest: studio at {studio.BaseAddress} warmed up ({IngestWarmUpPayloads:N0} payloads to a source of their own, processed); settled {settled.TotalSeconds:0.0} s after");
    }

    private static async Task DeliveriesAsync(BenchOptions options, PushPayloads payloads, BenchStorage storage, CancellationToken cancellationToken)
    {
        await using var sink = await DeliverySink.StartAsync(cancellationToken);
        await using var relay = options.SkipBaseline ? null : await RelayBaseline.StartAsync(sink.Url, options.DeliveryConcurrency, cancellationToken);
        if (relay is not null)
            await DeliveryProbe.WarmUpRelayAsync(relay, sink, payloads, options, cancellationToken);

        var settings = new Dictionary<string, string>(await storage.SettingsForNewStudioAsync(cancellationToken));
        foreach (var (name, value) in DeliveryProbe.StudioSettings(options.DeliveryConcurrency))
            settings[name] = value;
        var rounds = new List<DeliveryRound>(options.Rounds);
        long peakMemory;
        StudioLog log;
        using (var studio = await StudioProcess.StartAsync(settings, cancellationToken))
        using (var client = new StudioClient(studio))
        {
            Console.WriteLine($"deliveries: studio running at {studio.BaseAddress}, sink at {sink.Url}");
            await DeliveryProbe.WarmUpStudioAsync(studio, client, sink, payloads, options, cancellationToken);
            for (var round = 1; round <= options.Rounds; round++)
            {
                var studioRound = await DeliveryProbe.MeasureStudioAsync(studio, client, sink, payloads, options, round, cancellationToken);
                var relayRound = relay is null ? null : await DeliveryProbe.MeasureRelayAsync(relay, sink, payloads, options, round, cancellationToken);
                var measured = new DeliveryRound(studioRound, relayRound);
                rounds.Add(measured);
                Console.WriteLine($"deliveries: round {round}: studio {studioRound.DeliveriesPerSecond:N0} delivered/s" +
                                  (relayRound is null ? "" : $", relay baseline {relayRound.DeliveriesPerSecond:N0}/s, ratio {measured.Ratio:0.00}"));
            }
            peakMemory = studio.PeakMemory;
            log = StudioLog.Of(studio);
        }

        Report.PrintDeliveries(rounds, peakMemory, options, payloads.EntitiesPerPayload, storage.Name);
        log.Print();
    }
}

/// <summary>One ingest round: the studio under load and its pipeline draining, then the baseline under the same load.</summary>
internal sealed record IngestRound(LoadResult Studio, PipelineResult Pipeline, CpuFigures Cpu, LoadResult? Baseline)
{
    public double? Ratio => Baseline is null ? null : Studio.AcceptedPerSecond / Baseline.AcceptedPerSecond;
}

/// <summary>One deliveries round: the studio, then the relay baseline with the same payloads.</summary>
internal sealed record DeliveryRound(DeliveryResult Studio, RelayResult? Relay)
{
    public double? Ratio => Relay is null ? null : Studio.DeliveriesPerSecond / Relay.DeliveriesPerSecond;

    public double StudioMicrosPerDelivery => Studio.StudioCpu.TotalMicroseconds / Math.Max(1, Studio.Arrived);

    /// <summary>
    /// The relay runs inside the bench, beside the load generator and the sink; the studio round's bench CPU is that
    /// same generator and sink for as many payloads and deliveries, so the difference is the relay's own.
    /// </summary>
    public double? RelayMicrosPerDelivery => Relay is null ? null : (Relay.BenchCpu - Studio.BenchCpu).TotalMicroseconds / Math.Max(1, Relay.Arrived);
}

/// <summary>The lines a studio printed once healthy: at log level Warning, every one is worth a look.</summary>
internal sealed record StudioLog(int Lines, IReadOnlyList<string> Last)
{
    public static StudioLog Of(StudioProcess studio) => new(studio.LinesSinceReady, studio.LastLines(Math.Min(studio.LinesSinceReady, 10)));

    public void Print()
    {
        if (Lines == 0) return;
        Console.WriteLine($"  the studio logged {Lines} warning/error lines during the run (the last ones below)");
        foreach (var line in Last)
            Console.WriteLine($"  studio log: {line}");
    }
}
