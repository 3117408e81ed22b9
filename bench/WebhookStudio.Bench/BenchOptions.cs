using System.Globalization;

namespace WebhookStudio.Bench;

/// <summary>Command-line flags. Defaults match the targets in the issue: 32 connections for 10 s.</summary>
internal sealed record BenchOptions(int Seconds, int Connections, bool SkipBaseline, string? PayloadsFolder)
{
    public const string Usage = "usage: dotnet run -c Release --project bench/WebhookStudio.Bench -- [--seconds N] [--connections N] [--skip-baseline] [--payloads <shared/payloads folder>]";

    /// <summary>Requests sent before measuring, so JIT, connection set-up and SQLite caches do not count.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <returns>The options, or null with the reason (null reason: help was asked for).</returns>
    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(Seconds: 10, Connections: 32, SkipBaseline: false, PayloadsFolder: null);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--seconds":
                    if (!TryNumber(args, ++i, max: 600, out var seconds)) return (null, "--seconds needs a whole number from 1 to 600");
                    options = options with { Seconds = seconds };
                    break;
                case "--connections":
                    if (!TryNumber(args, ++i, max: 1024, out var connections)) return (null, "--connections needs a whole number from 1 to 1024");
                    options = options with { Connections = connections };
                    break;
                case "--skip-baseline":
                    options = options with { SkipBaseline = true };
                    break;
                case "--payloads":
                    if (++i >= args.Count) return (null, "--payloads needs a folder");
                    options = options with { PayloadsFolder = args[i] };
                    break;
                case "-h" or "--help":
                    return (null, null);
                default:
                    return (null, $"unknown argument '{args[i]}'");
            }
        }
        return (options, null);
    }

    private static bool TryNumber(IReadOnlyList<string> args, int index, int max, out int value)
    {
        value = 0;
        return index < args.Count
            && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= 1 && value <= max;
    }
}
