using Hangfire;
using Microsoft.Extensions.Options;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// The delivery pipeline, one Hangfire job per batch of delivery ids: <see cref="ClaimStep"/> → <see cref="BuildStep"/>
/// → <see cref="SendStep"/> → <see cref="RecordStep"/>. Per subscription the job takes send slots
/// (<see cref="DeliverySlots"/>) and spreads the subscription's deliveries over them; each slot claims its run in one
/// commit and sends it one after the other. A send does not wait for the commit of the attempt before it (that record
/// is on its way meanwhile), so a slot's pace is its receiver's, not the database's; after a failure it does wait, as
/// the failure may have deactivated the subscription. Hangfire's own retries are off: <see cref="RetryPolicy"/> is the
/// schedule. Safe to run twice, on one worker or two instances: the leases let one of them send each delivery.
/// </summary>
public sealed partial class DeliveryJob(
    ClaimStep claim,
    BuildStep build,
    SendStep send,
    RecordStep record,
    DeliverySlots slots,
    DeliveryQueue queue,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryJob> logger)
{
    /// <summary>How long a job waits for a full subscription's slot before it hands its deliveries back to Hangfire, freeing the worker.</summary>
    private static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(5);

    [Queue(DeliveryQueue.Name)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long[] deliveryIds, CancellationToken cancellationToken)
    {
        var pending = await claim.PendingAsync(deliveryIds, cancellationToken);
        await Task.WhenAll(pending.Select(subscription => RunAsync(subscription.Key, [.. subscription], cancellationToken)));
    }

    /// <summary>One subscription's deliveries of the job, over as many of its slots as are free (one at least).</summary>
    private async Task RunAsync(int subscriptionId, long[] deliveryIds, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, options.Value.ConcurrencyPerSubscription);
        using var taken = await slots.TakeAsync(subscriptionId, limit, Math.Min(limit, deliveryIds.Length), SlotWait, cancellationToken);
        if (taken.Count == 0)
        {
            queue.Schedule(deliveryIds, clock.GetUtcNow().UtcDateTime + SlotWait);
            return;
        }
        // Loaded once the slots are had: they may have changed while the job waited.
        var due = await claim.DueAsync(deliveryIds, cancellationToken);
        if (due.Count == 0)
            return;
        // In order, spread over the slots: five deliveries on two slots go as runs of three and two.
        var runs = due.Chunk((due.Count + taken.Count - 1) / taken.Count);
        await Task.WhenAll(runs.Select(run => SendInTurnAsync(run, cancellationToken)));
    }

    /// <summary>
    /// Sends a run one after the other under leases claimed for all of it. One that cannot be claimed (taken by another
    /// worker, settled meanwhile) is skipped; one whose send crashes stays pending, its lease released, for the reconciler.
    /// </summary>
    private async Task SendInTurnAsync(IReadOnlyList<Due> run, CancellationToken cancellationToken)
    {
        Task<Settled?> recorded = Task.FromResult<Settled?>(null);
        try
        {
            var claimed = await claim.ClaimAsync(run, held: null, cancellationToken);
            while (claimed.Deliveries.TryDequeue(out var due))
            {
                if (claim.RunsOut(claimed))
                {
                    // The lease may run out during this send: it is renewed for this one and the rest first.
                    claimed = await claim.ClaimAsync([due, .. claimed.Deliveries], held: claimed.Until, cancellationToken);
                    if (!claimed.Deliveries.TryDequeue(out due))
                        break;
                }
                SendResult result;
                try
                {
                    result = await SendAsync(due, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await claim.ReleaseQuietlyAsync(due.Delivery.Id);
                    LogSendCrashed(logger, e, due.Delivery.Id);
                    continue;
                }
                recorded = record.RecordAsync(due, result, recorded, cancellationToken);
                // Deactivated by this attempt: the rest were buffered in the same commit, and are not sent.
                if (!result.Succeeded && await recorded is { SubscriptionDeactivated: true })
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One run's trouble must not stop the others of the job; its deliveries stay pending for the reconciler.
            LogSendCrashed(logger, e, run[0].Delivery.Id);
        }
        finally
        {
            await recorded;
        }
    }

    private async Task<SendResult> SendAsync(Due due, CancellationToken cancellationToken)
    {
        var model = await build.ModelAsync(due, cancellationToken);
        if (model is null)
            return send.Refused(new RequestSummary("", "", [], null, null), "The activity's item or payload no longer exists (erased or purged), so there is nothing to send.");
        // An OAuth2 retry after a 401 is one attempt of the delivery: the last answer is the one recorded.
        return (await send.SendAsync(due.Subscription, model, due.Delivery.WebhookId, cancellationToken)).Last;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} failed before its attempt could be recorded; the reconciler takes it up again")]
    private static partial void LogSendCrashed(ILogger logger, Exception ex, long deliveryId);
}
