using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace WebhookStudio.Bench;

/// <summary>Where the load goes: the URL, the answer that counts as success, and headers sent beside <c>Content-Type: application/json</c>.</summary>
internal sealed record PostTarget(Uri Url, HttpStatusCode Success, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>A webhook receiver: success is 202, "stored".</summary>
    public static PostTarget Receiver(Uri url) => new(url, HttpStatusCode.Accepted, []);
}

/// <summary>
/// Closed-loop load: each of N connections sends the next POST as soon as the previous answer arrived, first
/// for a warm-up (not counted), then for the measured window. Bounded in time and in count, loopback only.
/// </summary>
internal static class LoadGenerator
{
    /// <summary>A ceiling on requests, whatever the duration, so a mistake cannot turn into an endless flood.</summary>
    private const long MaxRequests = 5_000_000;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public static Task<LoadResult> RunAsync(
        PostTarget target, Func<long, byte[]> bodies, int connections, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync(target, bodies, connections, warmUp, duration, MaxRequests, cancellationToken);

    /// <summary>Exactly <paramref name="count"/> requests (bodies <paramref name="first"/>, <paramref name="first"/>+1, …), as fast as the target answers, all measured.</summary>
    public static Task<LoadResult> SendAsync(
        PostTarget target, Func<long, byte[]> bodies, int connections, long count, CancellationToken cancellationToken, long first = 0) =>
        RunAsync(target, n => bodies(first + n), connections, TimeSpan.Zero, TimeSpan.FromMinutes(10), Math.Min(count, MaxRequests), cancellationToken);

    private static async Task<LoadResult> RunAsync(
        PostTarget target, Func<long, byte[]> bodies, int connections, TimeSpan warmUp, TimeSpan duration, long limit, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(target.Url.Host, out var address) || !IPAddress.IsLoopback(address))
            throw new BenchException($"Refusing to load {target.Url}: the bench only targets loopback addresses.");

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = new Window(Stopwatch.GetTimestamp(), warmUp, duration);
        var sequence = new Sequence(limit);
        var tallies = await Task.WhenAll(Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => WorkerAsync(http, target, bodies, clock, sequence, cancellationToken), cancellationToken)));
        cancellationToken.ThrowIfCancellationRequested();
        self.Refresh();
        return LoadResult.From(clock, tallies, self.TotalProcessorTime - cpuBefore, sequence.Exhausted);
    }

    /// <summary>Stopwatch timestamps of the run: warm-up from <see cref="Start"/>, measured from <see cref="MeasureFrom"/> until <see cref="StopAt"/>.</summary>
    internal sealed record Window(long Start, long MeasureFrom, long StopAt)
    {
        public Window(long start, TimeSpan warmUp, TimeSpan duration)
            : this(start, start + Ticks(warmUp), start + Ticks(warmUp) + Ticks(duration)) { }

        private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Request numbers handed out to the workers, up to a limit.</summary>
    private sealed class Sequence(long limit)
    {
        private long next = -1;

        /// <summary>Every request number was handed out: the run ended by count, not by the clock.</summary>
        public bool Exhausted => Interlocked.Read(ref next) >= limit;

        /// <returns>The next request number, or -1 once the limit is reached.</returns>
        public long Next()
        {
            var n = Interlocked.Increment(ref next);
            return n < limit ? n : -1;
        }
    }

    private static async Task<WorkerTally> WorkerAsync(
        HttpClient http, PostTarget target, Func<long, byte[]> bodies, Window window, Sequence sequence, CancellationToken cancellationToken)
    {
        var tally = new WorkerTally();
        while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < window.StopAt)
        {
            var n = sequence.Next();
            if (n < 0)
                break;
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(bodies(n)) };
            request.Content.Headers.ContentType = JsonType;
            foreach (var (name, value) in target.Headers)
                request.Headers.TryAddWithoutValidation(name, value);

            var began = Stopwatch.GetTimestamp();
            Failure? error;
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                error = response.StatusCode == target.Success ? null : new Failure($"HTTP {(int)response.StatusCode}", Shorten(answer));
            }
            catch (HttpRequestException e)
            {
                error = new Failure(e.HttpRequestError.ToString(), e.Message);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = new Failure("Timeout", "no answer within 30 s");
            }
            catch (OperationCanceledException)
            {
                break;
            }
            tally.Record(window, began, Stopwatch.GetTimestamp(), error);
        }
        return tally;
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}

/// <summary>A request that did not end in 202: its kind (the key errors are counted by) and what the first one said.</summary>
internal sealed record Failure(string Kind, string Detail);

/// <summary>One connection's counts; merged once at the end, so workers never contend on shared state.</summary>
internal sealed class WorkerTally
{
    public List<long> LatencyTicks { get; } = new(64 * 1024);
    public Dictionary<string, (long Count, string Example)> Errors { get; } = new(StringComparer.Ordinal);
    public long Accepted { get; private set; }
    public long WarmUpAccepted { get; private set; }
    public long LastEnd { get; private set; }

    public void Record(LoadGenerator.Window window, long began, long ended, Failure? error)
    {
        var measured = began >= window.MeasureFrom;
        if (error is not null)
        {
            // Warm-up errors count too: an error is an error, and must be seen.
            var (count, example) = Errors.GetValueOrDefault(error.Kind, (0, error.Detail));
            Errors[error.Kind] = (count + 1, example);
        }
        else if (measured)
        {
            Accepted++;
        }
        else
        {
            WarmUpAccepted++;
        }
        if (measured)
            LatencyTicks.Add(ended - began);
        LastEnd = Math.Max(LastEnd, ended);
    }
}
