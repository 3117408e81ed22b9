using System.Net;

namespace WebhookStudio.Bench;

/// <summary>
/// The run, in order: the studio's receiver under load and its pipeline draining, then the ingest baseline;
/// then the deliveries run (items through the receiver to a local sink), then its baseline. Each studio is a
/// fresh process with fresh data, stopped before the next part, so no two parts share the 2 cores.
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
        LoadResult studioLoad;
        PipelineResult pipeline;
        TimeSpan studioCpuDuringLoad, studioCpuDuringDrain;
        StudioLog log;
        using (var studio = await StudioProcess.StartAsync(await storage.SettingsForNewStudioAsync(cancellationToken), cancellationToken))
        using (var client = new StudioClient(studio))
        {
            await WarmUpIngestAsync(studio, client, payloads, options, cancellationToken);
            var source = await client.CreateGithubSourceAsync(cancellationToken);
            Console.WriteLine($"ingest: studio running at {studio.BaseAddress}, source {source.Id} created; loading it…");
            var cpuAtStart = studio.CpuTime;
            studioLoad = await LoadGenerator.RunAsync(PostTarget.Receiver(new Uri(studio.BaseAddress, $"/hooks/{source.Token}")), payloads.Body,
                options.Connections, BenchOptions.WarmUp, options.Duration, cancellationToken);
            Console.WriteLine("ingest: load done; waiting for the pipeline to drain…");
            var cpuAtLoadEnd = studio.CpuTime;
            pipeline = await PipelineProbe.MeasureAsync(client, source.Id, studioLoad, payloads.EntitiesPerPayload, cancellationToken);
            (studioCpuDuringLoad, studioCpuDuringDrain) = (cpuAtLoadEnd - cpuAtStart, studio.CpuTime - cpuAtLoadEnd);
            log = StudioLog.Of(studio);
        }

        LoadResult? baselineLoad = null;
        long? defaultSynchronous = null;
        if (!options.SkipBaseline)
        {
            await using var baseline = await BaselineReceiver.StartAsync(cancellationToken);
            await LoadGenerator.SendAsync(PostTarget.Receiver(baseline.HookUrl), payloads.Body, options.Connections, IngestWarmUpPayloads, cancellationToken);
            Console.WriteLine($"ingest: baseline running at {baseline.HookUrl}, warmed up with {IngestWarmUpPayloads:N0} payloads as the studio was; loading it…");
            baselineLoad = await LoadGenerator.RunAsync(PostTarget.Receiver(baseline.HookUrl), payloads.Body,
                options.Connections, BenchOptions.WarmUp, options.Duration, cancellationToken);
            defaultSynchronous = baseline.DefaultSynchronous;
        }

        var cpu = CpuFigures.From(studioLoad, studioCpuDuringLoad, studioCpuDuringDrain, pipeline, baselineLoad);
        Report.PrintIngest(studioLoad, pipeline, baselineLoad, cpu, defaultSynchronous, storage.Name);
        log.Print();
    }

    /// <summary>Payloads sent before the measured run, to a source of their own, so the run measures a warm studio.</summary>
    private const int IngestWarmUpPayloads = 10_000;

    /// <summary>
    /// A studio runs for days: the run should measure it warm, not its JIT compiling. The warm-up payloads go to a
    /// source of their own (the measured source's figures are its own), are processed, and the studio settles.
    /// </summary>
    private static async Task WarmUpIngestAsync(StudioProcess studio, StudioClient client, PushPayloads payloads, BenchOptions options, CancellationToken cancellationToken)
    {
        var source = await client.CreateGithubSourceAsync(cancellationToken);
        await LoadGenerator.SendAsync(PostTarget.Receiver(new Uri(studio.BaseAddress, $"/hooks/{source.Token}")), payloads.Body,
            options.Connections, IngestWarmUpPayloads, cancellationToken);
        await PipelineProbe.DrainAsync(client, source.Id, cancellationToken);
        var settled = await studio.SettleAsync(cancellationToken);
        Console.WriteLine($"ingest: warm-up done ({IngestWarmUpPayloads:N0} payloads to a source of their own, processed); the studio settled {settled.TotalSeconds:0.0} s after");
    }

    private static async Task DeliveriesAsync(BenchOptions options, PushPayloads payloads, BenchStorage storage, CancellationToken cancellationToken)
    {
        await using var sink = await DeliverySink.StartAsync(cancellationToken);
        DeliveryResult studioRun;
        StudioLog log;
        var settings = new Dictionary<string, string>(await storage.SettingsForNewStudioAsync(cancellationToken));
        foreach (var (name, value) in DeliveryProbe.StudioSettings(options.DeliveryConcurrency))
            settings[name] = value;
        using (var studio = await StudioProcess.StartAsync(settings, cancellationToken))
        using (var client = new StudioClient(studio))
        {
            Console.WriteLine($"deliveries: studio running at {studio.BaseAddress}, sink at {sink.Url}");
            studioRun = await DeliveryProbe.MeasureAsync(studio, client, sink, payloads, options, cancellationToken);
            log = StudioLog.Of(studio);
        }

        LoadResult? baseline = null;
        if (!options.SkipBaseline)
        {
            // The very request the studio sent (body, signature headers), the same number of times, as many in flight.
            var sample = sink.Sample ?? throw new BenchException("The sink never received a delivery to copy for the baseline.");
            Console.WriteLine($"deliveries: baseline: {studioRun.Expected:N0} bare HttpClient POSTs of that request, {options.DeliveryConcurrency} in flight…");
            baseline = await LoadGenerator.SendAsync(new PostTarget(sink.Url, HttpStatusCode.OK, sample.Headers), _ => sample.Body,
                options.DeliveryConcurrency, studioRun.Expected, cancellationToken);
        }

        Report.PrintDeliveries(studioRun, baseline, options, storage.Name);
        log.Print();
    }
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
