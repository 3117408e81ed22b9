using System.Diagnostics;

namespace WebhookStudio.Bench;

/// <summary>What one load run measured: accepted payloads (202 only), errors by kind, and the latency distribution.</summary>
internal sealed record LoadResult(
    TimeSpan Measured,
    long Accepted,
    long WarmUpAccepted,
    IReadOnlyDictionary<string, (long Count, string Example)> Errors,
    double[] SortedLatenciesMs,
    long StartTimestamp,
    TimeSpan BenchCpu)
{
    public double AcceptedPerSecond => Accepted / Measured.TotalSeconds;

    /// <summary>Every 202, warm-up included: what the pipeline has to process.</summary>
    public long TotalAccepted => Accepted + WarmUpAccepted;

    public long ErrorCount => Errors.Values.Sum(e => e.Count);

    /// <summary>Nearest-rank percentile over the measured requests (errors included: a slow failure is still slow).</summary>
    public double PercentileMs(double percentile) => Percentile(SortedLatenciesMs, percentile);

    /// <summary>Nearest-rank percentile of sorted values; NaN when there are none.</summary>
    public static double Percentile(double[] sorted, double percentile)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Requests answered over the whole run, warm-up and errors included: what the CPU figures are divided by.</summary>
    public long TotalRequests => TotalAccepted + ErrorCount;

    /// <param name="benchCpu">CPU the bench process used during the run: the load generator, plus the baseline server when it is the target.</param>
    /// <param name="endedByCount">The run sent a fixed number of requests: it is measured until the last answer, not until the clock's end.</param>
    public static LoadResult From(LoadGenerator.Window window, IReadOnlyList<WorkerTally> tallies, TimeSpan benchCpu, bool endedByCount)
    {
        var latencies = tallies.SelectMany(t => t.LatencyTicks).Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(latencies);
        var errors = new SortedDictionary<string, (long Count, string Example)>(StringComparer.Ordinal);
        foreach (var (kind, (count, example)) in tallies.SelectMany(t => t.Errors))
        {
            var seen = errors.GetValueOrDefault(kind, (0, example));
            errors[kind] = (seen.Count + count, seen.Example);
        }

        // The window ends with the last answer, so requests still in flight at the deadline are counted in full.
        var lastAnswer = tallies.Max(t => t.LastEnd);
        var end = endedByCount ? lastAnswer : Math.Max(window.StopAt, lastAnswer);
        var measured = Stopwatch.GetElapsedTime(window.MeasureFrom, end);
        return new LoadResult(measured, tallies.Sum(t => t.Accepted), tallies.Sum(t => t.WarmUpAccepted),
            errors, latencies, window.Start, benchCpu);
    }
}
