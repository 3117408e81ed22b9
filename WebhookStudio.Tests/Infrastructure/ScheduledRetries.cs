using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// Time passing for a studio on a <see cref="FakeTimeProvider"/> (<see cref="StudioFactory.UseClock"/>): the clock moves
/// on, and the scheduled <see cref="DeliveryJob"/>s of the retries due meanwhile go to the queue, as Hangfire's scheduler
/// hands on a scheduled job when its time comes. That scheduler runs on the real clock: a test using this sets retry
/// waits of minutes or more, which it does not reach within the test.
/// </summary>
public sealed class ScheduledRetries(StudioFactory studio, FakeTimeProvider clock)
{
    private sealed record ScheduledJob(string JobId, long[] DeliveryIds)
    {
        public override string ToString() => $"job {JobId} [{string.Join(", ", DeliveryIds)}]";
    }

    /// <summary>The retries due in the time the clock is to move on, and the delivery jobs scheduled.</summary>
    private sealed record Retries(List<long> Due, List<ScheduledJob> Jobs)
    {
        public bool AllScheduled => Due.All(id => Jobs.Any(j => j.DeliveryIds.Contains(id)));

        public override string ToString() => $"retries due: [{string.Join(", ", Due)}], scheduled: {string.Join("; ", Jobs)}";
    }

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Moves the clock on by <paramref name="by"/> and queues the jobs of the pending deliveries whose next attempt falls
    /// in that time, once their jobs are scheduled (a retry's job is scheduled just after its attempt is recorded).
    /// </summary>
    /// <returns>The deliveries whose retries were queued.</returns>
    public async Task<IReadOnlyList<long>> AdvanceAsync(TimeSpan by)
    {
        var from = UtcNow;
        var to = from + by;
        var (due, jobs) = await Eventually.Until(async () => new Retries(await RetriesDueAsync(from, to), ScheduledJobs()),
            found => found.AllScheduled, $"the jobs of the retries due by {to:O} to be scheduled");
        clock.Advance(by);
        var client = studio.Services.GetRequiredService<IBackgroundJobClient>();
        foreach (var job in jobs.Where(j => j.DeliveryIds.Any(due.Contains)))
            client.ChangeState(job.JobId, new EnqueuedState(DeliveryQueue.Name), ScheduledState.StateName);
        return due;
    }

    private async Task<List<long>> RetriesDueAsync(DateTime after, DateTime until)
    {
        await using var db = await studio.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt > after && d.NextAttemptAt <= until)
            .Select(d => d.Id).ToListAsync();
    }

    private List<ScheduledJob> ScheduledJobs() =>
    [
        .. studio.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, int.MaxValue)
            .Where(j => j.Value.Job?.Type == typeof(DeliveryJob))
            .Select(j => new ScheduledJob(j.Key, (long[])j.Value.Job.Args[0])),
    ];
}
