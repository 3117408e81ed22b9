using System.Diagnostics;

namespace WebhookStudio.Bench;

/// <summary>
/// How fast the studio turns payloads into items. The pipeline runs while the load runs, so the figure is
/// taken from the first POST until <c>pendingPayloads</c> reaches 0, over the items it actually created or
/// updated (summed from the payloads' own outcomes, not assumed).
/// </summary>
internal sealed record PipelineResult(
    int BacklogAtLoadEnd,
    TimeSpan FromFirstPost,
    TimeSpan DrainAfterLoad,
    StudioClient.PayloadTotals Totals,
    int ItemsInSource,
    int EntitiesPerPayload)
{
    public int ItemsChanged => Totals.Created + Totals.Updated;

    public double ItemsPerSecond => ItemsChanged / FromFirstPost.TotalSeconds;

    /// <summary>The backlog left when the load stopped, drained with the CPU to itself: an estimate of the pipeline's own capacity.</summary>
    public double? DrainItemsPerSecond => BacklogAtLoadEnd == 0 || DrainAfterLoad <= TimeSpan.Zero
        ? null
        : BacklogAtLoadEnd * EntitiesPerPayload / DrainAfterLoad.TotalSeconds;
}

internal static class PipelineProbe
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<PipelineResult> MeasureAsync(
        StudioClient client, int sourceId, LoadResult load, int entitiesPerPayload, CancellationToken cancellationToken)
    {
        // Polled only once the load has stopped, so the status queries do not compete with the receiver.
        var loadEnd = Stopwatch.GetTimestamp();
        var (backlog, status) = await DrainAsync(client, sourceId, cancellationToken);
        var drained = Stopwatch.GetTimestamp();

        var totals = await client.GetPayloadTotalsAsync(sourceId, cancellationToken);
        return new PipelineResult(backlog, Stopwatch.GetElapsedTime(load.StartTimestamp, drained), Stopwatch.GetElapsedTime(loadEnd, drained),
            totals, status.Items, entitiesPerPayload);
    }

    /// <summary>Waits until the source has no pending payloads.</summary>
    /// <returns>The backlog when the wait began, and the source's status at the end.</returns>
    public static async Task<(int Backlog, StudioClient.SourceStatus Status)> DrainAsync(StudioClient client, int sourceId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await client.GetStatusAsync(sourceId, cancellationToken);
        var backlog = status.PendingPayloads;
        while (status.PendingPayloads > 0)
        {
            if (Stopwatch.GetElapsedTime(started) > GiveUpAfter)
                throw new BenchException($"The pipeline still had {status.PendingPayloads} pending payloads {GiveUpAfter.TotalMinutes} minutes after the load stopped.");
            await Task.Delay(PollEvery, cancellationToken);
            status = await client.GetStatusAsync(sourceId, cancellationToken);
        }
        return (backlog, status);
    }
}
