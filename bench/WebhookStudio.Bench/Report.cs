using System.Globalization;

namespace WebhookStudio.Bench;

/// <summary>The printed result: a table per receiver, the pipeline, and each target met or missed.</summary>
internal static class Report
{
    public const double RatioTarget = 0.7;
    public const double P99TargetMs = 25;
    public const double PipelineTarget = 5_000;
    public const double DeliveriesTarget = 2_000;
    public const double DeliveryRatioTarget = 0.5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void PrintHeader(BenchOptions options, PushPayloads payloads, string storage)
    {
        Console.WriteLine($"Webhook Studio benchmark · {DateTime.Now:yyyy-MM-dd HH:mm} · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {StudioProcess.BuildConfiguration} · studio on {storage}");
        if (!options.SkipIngest)
            Console.WriteLine($"ingest: {options.Connections} connections, {BenchOptions.WarmUp.TotalSeconds:0} s warm-up then {options.Seconds} s measured, " +
                              $"closed loop, POST /hooks/{{token}} with {PushPayloads.FileName} bodies (~{payloads.Body(0).Length:N0} B, {payloads.EntitiesPerPayload} commits each, ids varied)");
        if (options.Deliveries > 0)
            Console.WriteLine($"deliveries: {options.Deliveries:N0} items through the receiver ({options.Connections} connections) to a local sink answering 200, " +
                              $"one subscription on item.created and item.updated, {options.DeliveryConcurrency} in flight");
        if (LoadAverage() is { } load)
            Console.WriteLine($"machine load average before the run: {load} (other work on these cores skews every figure)");
        if (StudioProcess.BuildConfiguration != "Release")
            Console.WriteLine("warning: this is a Debug build; measure with `dotnet run -c Release --project bench/WebhookStudio.Bench`.");
        Console.WriteLine();
    }

    public static void PrintIngest(LoadResult studio, PipelineResult pipeline, LoadResult? baseline, CpuFigures cpu, long? defaultSynchronous, string storage)
    {
        Console.WriteLine();
        Heading("receiver", "accepted/s");
        Row(Studio(storage), studio);
        if (baseline is not null)
            Row("baseline", baseline);
        Console.WriteLine("  (accepted/s counts 202 answers only; latency is per request, from send to full answer)");
        if (defaultSynchronous is { } sync)
            Console.WriteLine($"  (SQLite's default synchronous here is {sync} = {SyncName(sync)}; the baseline sets FULL{(storage == "SQLite" ? ", the studio keeps the default" : "")})");
        Errors("studio", studio);
        if (baseline is not null)
            Errors("baseline", baseline);

        var t = pipeline.Totals;
        Console.WriteLine();
        Console.WriteLine($"pipeline (studio): {t.Payloads:N0} payloads → {pipeline.ItemsChanged:N0} items created or updated " +
                          $"({t.Created:N0} created, {t.Updated:N0} updated, {t.Unchanged:N0} unchanged; outcomes: {string.Join(", ", t.Outcomes.Select(o => $"{o.Key} {o.Value:N0}"))})");
        Console.WriteLine($"  from the first POST (warm-up included) until pendingPayloads = 0: {pipeline.FromFirstPost.TotalSeconds:0.0} s → {pipeline.ItemsPerSecond:N0} items/s");
        Console.WriteLine(pipeline.DrainItemsPerSecond is { } drain
            ? $"  backlog when the load stopped: {pipeline.BacklogAtLoadEnd:N0} payloads, drained in {pipeline.DrainAfterLoad.TotalSeconds:0.00} s → ≈ {drain:N0} items/s with the CPU to itself"
            : "  no backlog when the load stopped: the pipeline kept pace, so its figure above is bounded by the ingest rate");
        if (t.Payloads != studio.TotalAccepted)
            Console.WriteLine($"  note: {studio.TotalAccepted:N0} payloads were answered 202 but the source lists {t.Payloads:N0}");
        if (pipeline.ItemsInSource != t.Created)
            Console.WriteLine($"  note: the source reports {pipeline.ItemsInSource:N0} items but payloads created {t.Created:N0}");

        Console.WriteLine();
        Console.WriteLine($"CPU per payload: studio process {cpu.StudioMicrosPerPayload:N0} µs while loaded (receiver and the pipeline work done meanwhile), load generator {cpu.GeneratorMicrosPerRequest:N0} µs");
        if (cpu.PipelineMicrosPerItem is { } perItem && cpu.ReceiverMicrosPerPayload is { } receiver)
            Console.WriteLine($"  pipeline {perItem:N0} µs per item (measured while draining), so the receiver ≈ {receiver:N0} µs per payload");
        if (cpu.BaselineRunMicrosPerRequest is { } floor)
            Console.WriteLine($"  baseline run: {floor:N0} µs per payload for the load generator and the baseline server together");

        Console.WriteLine();
        Console.WriteLine("target                                 measured          goal");
        if (baseline is not null)
        {
            var ratio = studio.AcceptedPerSecond / baseline.AcceptedPerSecond;
            Target("ingest ratio (studio / baseline)", ratio.ToString("0.00", Invariant), $"≥ {RatioTarget:0.00}", ratio >= RatioTarget);
        }
        else
        {
            Console.WriteLine("  ingest ratio (studio / baseline)     skipped (--skip-baseline)");
        }
        var p99 = studio.PercentileMs(99);
        Target("studio p99 latency", $"{p99:0.0} ms", $"≤ {P99TargetMs:0} ms", p99 <= P99TargetMs);
        Target("pipeline throughput", $"{pipeline.ItemsPerSecond:N0} items/s", $"≥ {PipelineTarget:N0}/s", pipeline.ItemsPerSecond >= PipelineTarget);
    }

    public static void PrintDeliveries(DeliveryResult studio, LoadResult? baseline, BenchOptions options, string storage)
    {
        Console.WriteLine();
        Heading("deliveries", "delivered/s");
        Console.WriteLine(string.Create(Invariant,
            $"  {Studio(storage),-20}{studio.DeliveriesPerSecond,12:N0}{studio.PercentileMs(50),10:0.0}{studio.PercentileMs(99),10:0.0}{studio.Expected - studio.Arrived,10:N0}"));
        if (baseline is not null)
            Row("baseline", baseline);
        Console.WriteLine($"  (studio: {studio.Expected:N0} items posted to the receiver until the sink had every delivery, {studio.EndToEnd.TotalSeconds:0.00} s; " +
                          "latency from the activity (the item change recorded by the pipeline) to the sink)");
        if (baseline is not null)
            Console.WriteLine($"  (baseline: the same request sent {baseline.TotalRequests:N0} times by a bare HttpClient loop, {options.DeliveryConcurrency} in flight; latency per request)");
        Console.WriteLine($"  receiver during the run: {studio.Posts.AcceptedPerSecond:N0} payloads/s accepted, {studio.Posts.ErrorCount:N0} errors");
        Console.WriteLine($"  deliveries by status: {string.Join(", ", studio.Counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value:N0}"))} (warm-up included); " +
                          $"sink: {studio.Arrived:N0} distinct webhook-ids, {studio.Repeats:N0} sent again");
        Console.WriteLine($"  CPU: studio process {studio.StudioCpu.TotalMicroseconds / Math.Max(1, studio.Arrived):N0} µs per delivered item (receiver, pipeline and sending together)");
        if (baseline is not null)
            Errors("baseline", baseline);

        Console.WriteLine();
        Console.WriteLine("target                                 measured          goal");
        Target("deliveries end to end", $"{studio.DeliveriesPerSecond:N0}/s", $"≥ {DeliveriesTarget:N0}/s", studio.DeliveriesPerSecond >= DeliveriesTarget);
        if (baseline is not null)
        {
            var ratio = studio.DeliveriesPerSecond / baseline.AcceptedPerSecond;
            Target("delivery ratio (studio / baseline)", ratio.ToString("0.00", Invariant), $"≥ {DeliveryRatioTarget:0.00}", ratio >= DeliveryRatioTarget);
        }
        else
        {
            Console.WriteLine("  delivery ratio (studio / baseline)   skipped (--skip-baseline)");
        }
    }

    private static void Heading(string what, string rate) => Console.WriteLine($"{what,-22}{rate,12}{"p50 ms",10}{"p99 ms",10}{"errors",10}");

    private static string Studio(string storage) => storage == "SQLite" ? "studio" : $"studio ({storage})";

    private static void Row(string name, LoadResult r) =>
        Console.WriteLine(string.Create(Invariant,
            $"  {name,-20}{r.AcceptedPerSecond,12:N0}{r.PercentileMs(50),10:0.0}{r.PercentileMs(99),10:0.0}{r.ErrorCount,10:N0}"));

    private static void Errors(string name, LoadResult r)
    {
        foreach (var (kind, (count, example)) in r.Errors)
            Console.WriteLine($"  {name} error: {kind} ×{count:N0} — first: {example}");
    }

    private static void Target(string name, string measured, string goal, bool met) =>
        Console.WriteLine($"  {name,-37}{measured,-18}{goal,-12}{(met ? "met" : "MISSED")}");

    /// <summary>The 1-minute load average on Linux, so a reader can tell a quiet run from a contended one.</summary>
    private static string? LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null; }
        catch (IOException) { return null; }
    }

    private static string SyncName(long value) => value switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => "?" };
}
