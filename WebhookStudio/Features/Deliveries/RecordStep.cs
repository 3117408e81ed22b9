using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Record: decides what an attempt means for the delivery (delivered, a retry at a time, failed), has the writer commit
/// it with the attempt, and then does what the outcome asks for: schedule the retry, map the response onto the item,
/// release the item's next delivery in order.
/// </summary>
public sealed partial class RecordStep(
    IDbContextFactory<StudioDbContext> contexts,
    DeliveryWriter writer,
    DeliveryQueue queue,
    ResponseMapper mapper,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<RecordStep> logger)
{
    /// <param name="before">The previous record of the same run: what follows from this one happens after it, in sending order.</param>
    /// <returns>What the writer did; null when recording failed (the delivery is still pending, for the reconciler).</returns>
    public async Task<Settled?> RecordAsync(Due due, SendResult result, Task<Settled?> before, CancellationToken cancellationToken)
    {
        var (delivery, subscription, _) = due;
        try
        {
            var (status, retryAt, gone) = Decide(delivery, subscription, result);
            var settled = await writer.SettleAsync(new Settlement(delivery.Id, subscription.Id, result, status, retryAt, gone), cancellationToken);
            await before;
            if (settled.Status == DeliveryStatus.Pending && retryAt is { } at)
                queue.Schedule(delivery.Id, at);
            if (settled.Status == DeliveryStatus.Delivered && subscription.ResponseMapping.Count > 0 && delivery.ItemId is { } mappedItem)
                await mapper.ApplyAsync(subscription, mappedItem, result.Response!.Body, new MappingCause(delivery.Id), cancellationToken);
            if (settled.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed && subscription.PreserveOrder && delivery.ItemId is { } orderedItem)
                await EnqueueNextOfItemAsync(subscription.Id, orderedItem, cancellationToken);
            return settled;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecordFailed(logger, e, delivery.Id);
            return null;
        }
    }

    private (DeliveryStatus Status, DateTime? Next, bool Gone) Decide(Delivery delivery, Subscription subscription, SendResult result)
    {
        if (result.Succeeded)
            return (DeliveryStatus.Delivered, null, false);
        if (result.Response?.StatusCode == 410)
            return (DeliveryStatus.Failed, null, true);
        var attempts = delivery.AttemptsInChain + 1;
        if (attempts >= subscription.MaxAttempts)
            return (DeliveryStatus.Failed, null, false);
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var delay = RetryPolicy.Delay(settings.Schedule, attempts, RetryPolicy.RetryAfter(result.Response, now), settings.Jitter, Random.Shared.NextDouble() * 2 - 1);
        return (DeliveryStatus.Pending, now.UtcDateTime + delay, false);
    }

    private async Task EnqueueNextOfItemAsync(int subscriptionId, long itemId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var next = await db.Deliveries.Where(d => d.SubscriptionId == subscriptionId && d.ItemId == itemId && d.Status == DeliveryStatus.Pending && !d.IsTest)
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.NextAttemptAt }).FirstOrDefaultAsync(cancellationToken);
        if (next is not null)
            queue.Schedule(next.Id, next.NextAttemptAt ?? clock.GetUtcNow().UtcDateTime);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The attempt of delivery {DeliveryId} could not be recorded, or what follows from it failed; the reconciler takes it up again if it is still pending")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, long deliveryId);
}
