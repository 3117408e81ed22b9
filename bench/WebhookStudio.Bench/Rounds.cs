using System.Globalization;

namespace WebhookStudio.Bench;

/// <summary>
/// A figure over interleaved studio/baseline rounds: each round measures both back to back, so a machine that gets
/// busier or quieter moves both sides of that round's ratio, and the median of the rounds' ratios is steady.
/// </summary>
internal sealed record Spread(double Median, double Min, double Max, int Rounds)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No rounds to summarize.", nameof(values));
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>"0.78 (0.74–0.81)" with the given format.</summary>
    public string Format(string format) => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)})");
}
