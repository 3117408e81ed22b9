using System.Globalization;

namespace WebhookStudio.Bench;

/// <summary>The printed result: a table per receiver, the pipeline, and each target met or missed.</summary>
internal static class Report
{
    public const double RatioTarget = 0.7;
    public const double P99TargetMs = 25;
    public const double PipelineTarget = 5_000;
    public const double DeliveriesTarget = 2_000;
    public const double RelayRatioTarget = 0.5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void PrintHeader(BenchOptions options, PushPayloads payloads, string storage)
    {
        Console.WriteLine($"Webhook Studio benchmark · {DateTime.Now:yyyy-MM-dd HH:mm} · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {StudioProcess.BuildConfiguration} · studio on {storage}");
        if (!options.SkipIngest)
            Console.WriteLine($"ingest: {options.Rounds} rounds of studio then baseline, each {options.Connections} connections, {BenchOptions.WarmUp.TotalSeconds:0} s warm-up then {options.Seconds} s measured, " +
                              $"closed loop, POST /hooks/{{token}} with {PushPayloads.FileName} bodies (~{payloads.Body(0).Length:N0} B, {payloads.EntitiesPerPayload} commits each, ids varied)");
        if (options.Deliveries > 0)
            Console.WriteLine($"deliveries: {options.Rounds} rounds of studio then relay baseline, each {options.Deliveries:N0} items through the receiver ({options.Connections} connections) " +
                              $"to a local sink answering 200, one subscription on item.created and item.updated, {options.DeliveryConcurrency} in flight");
        if (LoadAverage() is { } load)
            Console.WriteLine($"machine load average before the run: {load} (other work on these cores skews every figure)");
        if (StudioProcess.BuildConfiguration != "Release")
            Console.WriteLine("warning: this is a Debug build; measure with `dotnet run -c Release --project bench/WebhookStudio.Bench`.");
        Console.WriteLine();
    }

    public static void PrintIngest(IReadOnlyList<IngestRound> rounds, long studioPeakMemory, long? defaultSynchronous, string storage)
    {
        // The round whose ratio (or, without a baseline, whose studio rate) is the median is shown in full.
        var shown = rounds.OrderBy(r => r.Ratio ?? r.Studio.AcceptedPerSecond).ElementAt(rounds.Count / 2);
        var (studio, pipeline, cpu, baseline) = (shown.Studio, shown.Pipeline, shown.Cpu, shown.Baseline);
        Console.WriteLine();
        Console.WriteLine($"{rounds.Count} rounds; the median round in full:");
        Heading("receiver", "accepted/s");
        Row(Studio(storage), studio);
        if (baseline is not null)
            Row("baseline", baseline);
        Console.WriteLine("  (accepted/s counts 202 answers only; latency is per request, from send to full answer)");
        if (defaultSynchronous is { } sync)
            Console.WriteLine($"  (SQLite's default synchronous here is {sync} = {SyncName(sync)}; the baseline sets FULL{(storage == "SQLite" ? ", the studio keeps the default" : "")})");
        foreach (var round in rounds)
        {
            Errors("studio", round.Studio);
            if (round.Baseline is not null)
                Errors("baseline", round.Baseline);
        }

        var t = pipeline.Totals;
        Console.WriteLine();
        Console.WriteLine($"pipeline (studio): {t.Payloads:N0} payloads → {pipeline.ItemsChanged:N0} items created or updated " +
                          $"({t.Created:N0} created, {t.Updated:N0} updated, {t.Unchanged:N0} unchanged; outcomes: {string.Join(", ", t.Outcomes.Select(o => $"{o.Key} {o.Value:N0}"))})");
        Console.WriteLine($"  from the round's first POST until pendingPayloads = 0: {pipeline.FromFirstPost.TotalSeconds:0.0} s → {pipeline.ItemsPerSecond:N0} items/s");
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
        Console.WriteLine($"target (median of {rounds.Count} rounds, min–max)      measured               goal");
        if (rounds.All(r => r.Ratio is not null))
        {
            var ratio = Spread.Of(rounds.Select(r => r.Ratio!.Value));
            Target("ingest ratio (studio / baseline)", ratio.Format("0.00"), $"≥ {RatioTarget:0.00}", ratio.Median >= RatioTarget,
                $"studio peak RSS {Mebibytes(studioPeakMemory)}");
        }
        else
        {
            Console.WriteLine($"  ingest ratio (studio / baseline)     skipped (--skip-baseline); studio peak RSS {Mebibytes(studioPeakMemory)}");
        }
        var p99 = Spread.Of(rounds.Select(r => r.Studio.PercentileMs(99)));
        Target("studio p99 latency", $"{p99.Format("0.0")} ms", $"≤ {P99TargetMs:0} ms", p99.Median <= P99TargetMs);
        var items = Spread.Of(rounds.Select(r => r.Pipeline.ItemsPerSecond));
        Target("pipeline throughput, items/s", items.Format("N0"), $"≥ {PipelineTarget:N0}/s", items.Median >= PipelineTarget);
    }

    public static void PrintDeliveries(IReadOnlyList<DeliveryRound> rounds, long studioPeakMemory, BenchOptions options, int entitiesPerPayload, string storage)
    {
        var shown = rounds.OrderBy(r => r.Ratio ?? r.Studio.DeliveriesPerSecond).ElementAt(rounds.Count / 2);
        var (studio, relay) = (shown.Studio, shown.Relay);
        Console.WriteLine();
        Console.WriteLine($"{rounds.Count} rounds; the median round in full:");
        Heading("deliveries", "delivered/s");
        Console.WriteLine(string.Create(Invariant,
            $"  {Studio(storage),-20}{studio.DeliveriesPerSecond,12:N0}{studio.PercentileMs(50),10:0.0}{studio.PercentileMs(99),10:0.0}{studio.Expected - studio.Arrived,10:N0}"));
        if (relay is not null)
            Console.WriteLine(string.Create(Invariant, $"  {"relay baseline",-20}{relay.DeliveriesPerSecond,12:N0}{"",10}{"",10}{relay.Expected - relay.Arrived + relay.FailedSends,10:N0}"));
        Console.WriteLine($"  ({studio.Expected:N0} items posted to the receiver until the sink had every delivery, studio {studio.EndToEnd.TotalSeconds:0.00} s" +
                          (relay is null ? "" : $", relay {relay.EndToEnd.TotalSeconds:0.00} s") + "; studio latency from the activity (the item change recorded by the pipeline) to the sink)");
        Console.WriteLine($"  receiver during the round: {studio.Posts.AcceptedPerSecond:N0} payloads/s accepted, {studio.Posts.ErrorCount:N0} errors");
        Console.WriteLine($"  deliveries by status: {string.Join(", ", studio.Counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value:N0}"))}; " +
                          $"sink: {studio.Arrived:N0} distinct webhook-ids, {studio.Repeats:N0} sent again" +
                          (relay is null ? "" : $"; relay: {relay.Arrived:N0} distinct, {relay.Repeats:N0} sent again, {relay.FailedSends:N0} failed"));

        Console.WriteLine();
        var studioCpu = Spread.Of(rounds.Select(r => r.StudioMicrosPerDelivery));
        Console.WriteLine($"CPU per delivered item (median of {rounds.Count} rounds, min–max): studio process {studioCpu.Format("N0")} µs " +
                          $"(receiving the payload, making {entitiesPerPayload} items of it, and the delivery)");
        if (rounds.All(r => r.RelayMicrosPerDelivery is not null))
            Console.WriteLine($"  relay baseline {Spread.Of(rounds.Select(r => r.RelayMicrosPerDelivery!.Value)).Format("N0")} µs " +
                              "(its bench-process CPU less the studio round's, which is the same load generator and sink)");

        Console.WriteLine();
        Console.WriteLine($"target (median of {rounds.Count} rounds, min–max)      measured               goal");
        var rate = Spread.Of(rounds.Select(r => r.Studio.DeliveriesPerSecond));
        Target("deliveries end to end, per s", rate.Format("N0"), $"≥ {DeliveriesTarget:N0}/s", rate.Median >= DeliveriesTarget);
        if (rounds.All(r => r.Ratio is not null))
        {
            var ratio = Spread.Of(rounds.Select(r => r.Ratio!.Value));
            Target("relay ratio (studio / relay baseline)", ratio.Format("0.00"), $"≥ {RelayRatioTarget:0.00}", ratio.Median >= RelayRatioTarget,
                $"studio peak RSS {Mebibytes(studioPeakMemory)}");
        }
        else
        {
            Console.WriteLine($"  relay ratio (studio / relay baseline) skipped (--skip-baseline); studio peak RSS {Mebibytes(studioPeakMemory)}");
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

    private static void Target(string name, string measured, string goal, bool met, string? beside = null) =>
        Console.WriteLine($"  {name,-40}{measured,-23}{goal,-12}{(met ? "met" : "MISSED"),-8}{beside}");

    private static string Mebibytes(long bytes) => string.Create(Invariant, $"{bytes / (1024.0 * 1024):N0} MiB");

    /// <summary>The 1-minute load average on Linux, so a reader can tell a quiet run from a contended one.</summary>
    private static string? LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null; }
        catch (IOException) { return null; }
    }

    private static string SyncName(long value) => value switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => "?" };
}
