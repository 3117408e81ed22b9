using System.Globalization;

namespace WebhookStudio.Bench;

/// <summary>
/// Command-line flags. Defaults are the runs the targets are set for: three rounds, each of 32 connections for 5 s of
/// ingest against the studio and then the baseline, then three rounds of 10,000 items delivered to a local sink by the
/// studio and then the relay baseline, with the subscription's default concurrency of 10.
/// </summary>
internal sealed record BenchOptions(
    int Seconds, int Connections, bool SkipBaseline, string? PayloadsFolder, int Deliveries, int DeliveryConcurrency, bool SkipIngest, bool Postgres,
    int Rounds)
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/WebhookStudio.Bench -- [--rounds N] [--seconds N (per round)] [--connections N] [--skip-baseline]\n" +
        "         [--payloads <folder of sample payloads>] [--deliveries N (per round; 0 skips the deliveries run)] [--delivery-concurrency N]\n" +
        "         [--skip-ingest] [--postgres]\n" +
        "  --postgres measures the studio on PostgreSQL (a fresh database per run on the server ConnectionStrings__Postgres names):\n" +
        "  scripts/with-postgres.sh --durable dotnet run -c Release --project bench/WebhookStudio.Bench -- --postgres";

    /// <summary>
    /// Requests sent before measuring, so JIT, connection set-up and SQLite caches do not count: a server's steady state
    /// is what is compared. Under load, tiered compilation reaches the hot methods late, so a shorter warm-up still
    /// measures the JIT.
    /// </summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <returns>The options, or null with the reason (null reason: help was asked for).</returns>
    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(Seconds: 5, Connections: 32, SkipBaseline: false, PayloadsFolder: null,
            Deliveries: 10_000, DeliveryConcurrency: 10, SkipIngest: false, Postgres: false, Rounds: 3);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--seconds":
                    if (!TryNumber(args, ++i, min: 1, max: 600, out var seconds)) return (null, "--seconds needs a whole number from 1 to 600");
                    options = options with { Seconds = seconds };
                    break;
                case "--rounds":
                    if (!TryNumber(args, ++i, min: 1, max: 20, out var rounds)) return (null, "--rounds needs a whole number from 1 to 20");
                    options = options with { Rounds = rounds };
                    break;
                case "--connections":
                    if (!TryNumber(args, ++i, min: 1, max: 1024, out var connections)) return (null, "--connections needs a whole number from 1 to 1024");
                    options = options with { Connections = connections };
                    break;
                case "--skip-baseline":
                    options = options with { SkipBaseline = true };
                    break;
                case "--payloads":
                    if (++i >= args.Count) return (null, "--payloads needs a folder");
                    options = options with { PayloadsFolder = args[i] };
                    break;
                case "--deliveries":
                    if (!TryNumber(args, ++i, min: 0, max: 1_000_000, out var deliveries)) return (null, "--deliveries needs a whole number from 0 to 1,000,000");
                    options = options with { Deliveries = deliveries };
                    break;
                case "--delivery-concurrency":
                    if (!TryNumber(args, ++i, min: 1, max: 256, out var concurrency)) return (null, "--delivery-concurrency needs a whole number from 1 to 256");
                    options = options with { DeliveryConcurrency = concurrency };
                    break;
                case "--skip-ingest":
                    options = options with { SkipIngest = true };
                    break;
                case "--postgres":
                    options = options with { Postgres = true };
                    break;
                case "-h" or "--help":
                    return (null, null);
                default:
                    return (null, $"unknown argument '{args[i]}'");
            }
        }
        return options.SkipIngest && options.Deliveries == 0 ? (null, "--skip-ingest with --deliveries 0 leaves nothing to measure") : (options, null);
    }

    private static bool TryNumber(IReadOnlyList<string> args, int index, int min, int max, out int value)
    {
        value = 0;
        return index < args.Count
            && int.TryParse(args[index], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }
}
