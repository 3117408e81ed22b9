using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// The safety net under the jobs. The deliveries table is the state of record; a job can still go missing (the process
/// died between a commit and its enqueue, a worker died mid-send and left a lease behind). At start and then every
/// <see cref="DeliveryOptions.ReconcileEvery"/> this hands to the queue again every pending delivery that has been due
/// for longer than one interval and that no live lease holds: one whose job merely waits its turn may get a second
/// job, which the lease makes harmless. A delivery killed mid-send is thus sent again, with the same webhook-id.
/// It also expires buffered deliveries older than <see cref="DeliveryOptions.BufferFor"/>.
/// </summary>
public sealed partial class DeliveryReconciler(
    IDbContextFactory<StudioDbContext> contexts,
    DeliveryQueue queue,
    DeliveryStore store,
    EventHub<DeliveryChanged> events,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryReconciler> logger) : BackgroundService
{
    private const int MaxPerPass = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, ex);
            }
            await Task.Delay(options.Value.ReconcileEvery, clock, stoppingToken);
        }
    }

    /// <returns>How many deliveries were handed to the queue.</returns>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var expired = await store.ExpireBufferedAsync(now - options.Value.BufferFor,
            $"Buffered for longer than {options.Value.BufferFor.TotalDays:0.#} days while the subscription was deactivated; not sent.", cancellationToken);
        if (expired > 0)
            events.Publish([new DeliveryChanged(0, 0, DeliveryStatus.Expired)]);

        var overdue = now - options.Value.ReconcileEvery;
        var missing = await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Pending && !d.IsTest && (d.LeaseUntil == null || d.LeaseUntil < now))
            .Where(d => d.NextAttemptAt == null || d.NextAttemptAt <= overdue)
            .OrderBy(d => d.Id).Take(MaxPerPass)
            .Select(d => d.Id).ToListAsync(cancellationToken);
        queue.Enqueue(missing);
        return missing.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling deliveries failed; the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
