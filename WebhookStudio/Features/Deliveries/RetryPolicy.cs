using System.Globalization;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Features.Deliveries;

/// <summary>When to try a failed delivery again, from the schedule, its jitter and the receiver's <c>Retry-After</c>.</summary>
public static class RetryPolicy
{
    /// <param name="failedAttemptsInChain">Attempts of the current chain so far, the failed one included (1 after the first try).</param>
    /// <param name="jitterSample">A number in [-1, 1]; the wait moves by that share of <paramref name="jitter"/>.</param>
    public static TimeSpan Delay(IReadOnlyList<TimeSpan> schedule, int failedAttemptsInChain, TimeSpan? retryAfter, double jitter, double jitterSample)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var index = Math.Clamp(failedAttemptsInChain - 1, 0, schedule.Count - 1);
        var planned = schedule[index] * (1 + jitter * Math.Clamp(jitterSample, -1, 1));
        if (retryAfter is not { } asked)
            return planned;
        // The receiver knows best when it can take more, but neither sooner than our first step nor later than our longest.
        var shortest = schedule.Min();
        var longest = schedule.Max();
        return asked < shortest ? shortest : asked > longest ? longest : asked;
    }

    /// <summary><c>Retry-After</c> of a 429 or 503 answer: seconds, or an HTTP date.</summary>
    public static TimeSpan? RetryAfter(ReceivedResponse? response, DateTimeOffset now)
    {
        if (response is not { StatusCode: 429 or 503 } || response.Header("Retry-After") is not { } value)
            return null;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }
}
