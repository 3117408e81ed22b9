namespace WebhookStudio.Bench;

/// <summary>The run, in order: the studio under load, its pipeline draining, then the baseline under the same load.</summary>
internal static class BenchRun
{
    public static async Task RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var payloads = PushPayloads.Load(RepoPaths.PayloadsFolder(options.PayloadsFolder));
        Report.PrintHeader(options, payloads);

        LoadResult studioLoad;
        PipelineResult pipeline;
        TimeSpan studioCpuDuringLoad, studioCpuDuringDrain;
        int studioLogLines;
        IReadOnlyList<string> studioLog;
        // The studio is stopped before the baseline runs, so the two never share the 2 cores.
        using (var studio = await StudioProcess.StartAsync(cancellationToken))
        using (var client = new StudioClient(studio))
        {
            var source = await client.CreateGithubSourceAsync(cancellationToken);
            Console.WriteLine($"studio: running at {studio.BaseAddress}, source {source.Id} created; loading it…");
            var cpuAtStart = studio.CpuTime;
            studioLoad = await LoadGenerator.RunAsync(new Uri(studio.BaseAddress, $"/hooks/{source.Token}"), payloads.Body,
                options.Connections, BenchOptions.WarmUp, options.Duration, cancellationToken);
            Console.WriteLine("studio: load done; waiting for the pipeline to drain…");
            var cpuAtLoadEnd = studio.CpuTime;
            pipeline = await PipelineProbe.MeasureAsync(client, source.Id, studioLoad, payloads.EntitiesPerPayload, cancellationToken);
            (studioCpuDuringLoad, studioCpuDuringDrain) = (cpuAtLoadEnd - cpuAtStart, studio.CpuTime - cpuAtLoadEnd);
            studioLogLines = studio.LinesSinceReady;
            studioLog = studio.LastLines(Math.Min(studioLogLines, 10));
        }

        LoadResult? baselineLoad = null;
        long? defaultSynchronous = null;
        if (!options.SkipBaseline)
        {
            await using var baseline = await BaselineReceiver.StartAsync(cancellationToken);
            Console.WriteLine($"baseline: running at {baseline.HookUrl}; loading it…");
            baselineLoad = await LoadGenerator.RunAsync(baseline.HookUrl, payloads.Body,
                options.Connections, BenchOptions.WarmUp, options.Duration, cancellationToken);
            defaultSynchronous = baseline.DefaultSynchronous;
        }

        var cpu = CpuFigures.From(studioLoad, studioCpuDuringLoad, studioCpuDuringDrain, pipeline, baselineLoad);
        Report.Print(studioLoad, pipeline, baselineLoad, cpu, defaultSynchronous, studioLogLines);
        foreach (var line in studioLog)
            Console.WriteLine($"  studio log: {line}");
    }
}
