using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Hangfire's in-memory storage forgets every job on restart, and a killed process leaves leases behind: the
/// database is the state of record, so at start and then every <see cref="DeliveryOptions.ReconcileEvery"/> this
/// hands every pending delivery that is due and not held by a live lease to the queue again. At start it also
/// schedules the ones due later. A delivery killed mid-send is thus sent again, with the same webhook-id.
/// It also expires buffered deliveries older than <see cref="DeliveryOptions.BufferFor"/>.
/// </summary>
public sealed partial class DeliveryReconciler(
    IDbContextFactory<StudioDbContext> contexts,
    DeliveryQueue queue,
    DeliveryConcurrency concurrency,
    DatabaseWriteGate writeGate,
    EventHub<DeliveryChanged> events,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryReconciler> logger) : BackgroundService
{
    private const int MaxPerPass = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(includeLater: first, stoppingToken);
                first = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, ex);
            }
            await Task.Delay(options.Value.ReconcileEvery, clock, stoppingToken);
        }
    }

    /// <returns>How many deliveries were handed to the queue.</returns>
    public async Task<int> ReconcileAsync(bool includeLater, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var bufferedBefore = now - options.Value.BufferFor;
        int expired;
        using (await writeGate.EnterAsync(cancellationToken))
            expired = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Buffered && d.CreatedAt < bufferedBefore)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Expired)
                    .SetProperty(d => d.CompletedAt, now)
                    .SetProperty(d => d.LastError, $"Buffered for longer than {options.Value.BufferFor.TotalDays:0.#} days while the subscription was deactivated; not sent."),
                    cancellationToken);
        if (expired > 0)
            events.Publish([new DeliveryChanged(0, 0, DeliveryStatus.Expired)]);

        var waiting = await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Pending && !d.IsTest && (d.LeaseUntil == null || d.LeaseUntil < now))
            .Where(d => includeLater || d.NextAttemptAt == null || d.NextAttemptAt <= now)
            .OrderBy(d => d.Id).Take(MaxPerPass)
            .Select(d => new { d.Id, d.NextAttemptAt }).ToListAsync(cancellationToken);
        var handed = 0;
        var inLine = concurrency.WaitingNow();
        foreach (var delivery in waiting)
        {
            if (queue.IsHandedOver(delivery.Id) || inLine.Contains(delivery.Id)) continue;
            queue.Schedule(delivery.Id, delivery.NextAttemptAt ?? now);
            handed++;
        }
        return handed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling deliveries failed; the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
