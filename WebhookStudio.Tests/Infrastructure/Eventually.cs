using System.Diagnostics;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// Waits for background work (the payload processor) by polling its visible result, never by a fixed
/// sleep: fast when the work is fast, and a clear failure with the last value seen when it never happens.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; last seen: {value}");
            await Task.Delay(Interval);
        }
    }
}
