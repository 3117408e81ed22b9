using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

/// <summary>What one attempt came to, for the writer to record.</summary>
/// <param name="Status">Pending (a retry at <paramref name="NextAttemptAt"/>), Delivered or Failed.</param>
/// <param name="Gone">The receiver answered 410: the subscription is deactivated at once.</param>
public sealed record Settlement(long DeliveryId, int SubscriptionId, SendResult Result, DeliveryStatus Status, DateTime? NextAttemptAt, bool Gone);

/// <summary>What the writer did with a settlement.</summary>
public sealed record Settled(DeliveryStatus Status, bool SubscriptionDeactivated);

/// <summary>
/// The one writer of delivery state. Many workers send at once; each hands its lease claim or its attempt here and
/// waits for the commit, and the writer commits everything waiting at that moment in one transaction of the
/// <see cref="DeliveryStore"/>: few commits, and a worker learns the outcome only once it is written. The
/// subscription's failure counters and its automatic deactivation are decided here too, so they see every attempt in
/// order.
/// </summary>
public sealed partial class DeliveryWriter(
    DeliveryStore store,
    EventHub<DeliveryChanged> events,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    /// <summary>An operation waiting for the next commit; its caller learns its result once that commit is written.</summary>
    private abstract class Op
    {
        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private abstract class Op<T> : Op
    {
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public T Result { get; set; } = default!;

        public override void Complete() => Done.TrySetResult(Result);

        public override void Fail(Exception exception) => Done.TrySetException(exception);
    }

    private sealed class ClaimOp(IReadOnlyList<long> deliveryIds, DateTime until, DateTime? held) : Op<bool[]>
    {
        public IReadOnlyList<long> DeliveryIds => deliveryIds;
        public DateTime Until => until;
        public DateTime? Held => held;
    }

    private sealed class ReleaseOp(long deliveryId) : Op<bool>
    {
        public long DeliveryId => deliveryId;
    }

    private sealed class SettleOp(Settlement settlement) : Op<Settled>
    {
        public Settlement Settlement => settlement;
    }

    private sealed class MarkOp(long deliveryId, DeliveryStatus to, string? reason) : Op<bool>
    {
        public long DeliveryId => deliveryId;
        public DeliveryStatus To => to;
        public string? Reason => reason;
    }

    private readonly Channel<Op> queue = Channel.CreateUnbounded<Op>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Takes the deliveries' leases, each when the delivery is still pending and no live lease holds it: two workers, or
    /// two instances, never send the same delivery at once.
    /// </summary>
    /// <param name="held">
    /// The lease the caller holds on them (the <paramref name="until"/> of its claim), to renew it before it runs out;
    /// a lease taken by someone else after it ran out has another time and is left alone.
    /// </param>
    /// <returns>Per delivery, in order, whether its lease is now the caller's.</returns>
    public Task<bool[]> ClaimAsync(IReadOnlyList<long> deliveryIds, DateTime until, DateTime? held, CancellationToken cancellationToken) =>
        SubmitAsync(new ClaimOp(deliveryIds, until, held), cancellationToken);

    public Task ReleaseAsync(long deliveryId, CancellationToken cancellationToken) => SubmitAsync(new ReleaseOp(deliveryId), cancellationToken);

    public Task<Settled> SettleAsync(Settlement settlement, CancellationToken cancellationToken) => SubmitAsync(new SettleOp(settlement), cancellationToken);

    /// <summary>Moves a pending delivery to <paramref name="to"/> (cancelled, buffered) without an attempt.</summary>
    /// <returns>Whether it was still pending and was moved.</returns>
    public Task<bool> MarkAsync(long deliveryId, DeliveryStatus to, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(new MarkOp(deliveryId, to, reason), cancellationToken);

    private async Task<T> SubmitAsync<T>(Op<T> op, CancellationToken cancellationToken)
    {
        await queue.Writer.WriteAsync(op, cancellationToken);
        return await op.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Op>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                batch.Add(next);
            try
            {
                var changes = await store.WriteAsync(write => WriteAsync(write, batch, stoppingToken), stoppingToken);
                foreach (var op in batch)
                    op.Complete();
                events.Publish(changes);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCommitFailed(logger, ex, batch.Count);
                foreach (var op in batch)
                    op.Fail(ex);
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// Every operation, in batch order. Subscriptions are loaded only when an attempt in the batch failed: their counters
    /// and the decision to deactivate need the row; after successes only, the store resets the counters in place.
    /// </summary>
    private async Task<List<DeliveryChanged>> WriteAsync(IDeliveryTransaction write, List<Op> batch, CancellationToken cancellationToken)
    {
        var changes = new List<DeliveryChanged>();
        var settles = batch.OfType<SettleOp>().ToList();
        var failed = settles.Exists(op => !op.Settlement.Result.Succeeded);
        var subscriptions = failed
            ? await write.SubscriptionsAsync([.. settles.Select(op => op.Settlement.SubscriptionId).Distinct()], cancellationToken)
            : [];
        var failures = new SubscriptionFailures(options.Value, write.Now);

        foreach (var op in batch)
        {
            switch (op)
            {
                case ClaimOp claim:
                    claim.Result = new bool[claim.DeliveryIds.Count];
                    for (var k = 0; k < claim.Result.Length; k++)
                        claim.Result[k] = await write.ClaimAsync(claim.DeliveryIds[k], claim.Until, claim.Held, cancellationToken);
                    break;
                case ReleaseOp release:
                    await write.ReleaseAsync(release.DeliveryId, cancellationToken);
                    release.Result = true;
                    break;
                case MarkOp mark:
                    var markedFor = await write.MarkAsync(mark.DeliveryId, mark.To, mark.Reason, cancellationToken);
                    mark.Result = markedFor is not null;
                    if (markedFor is { } subscriptionOfMarked)
                        changes.Add(new DeliveryChanged(mark.DeliveryId, subscriptionOfMarked, mark.To));
                    break;
                case SettleOp { Settlement: var s } settle:
                    var recorded = await write.RecordAttemptAsync(s.DeliveryId, s.Result, s.Status, s.NextAttemptAt, cancellationToken);
                    // Gone (erased meanwhile): nothing was recorded.
                    settle.Result = new Settled(recorded?.Status ?? DeliveryStatus.Cancelled, false);
                    if (recorded is null)
                        break;
                    changes.Add(new DeliveryChanged(s.DeliveryId, recorded.SubscriptionId, recorded.Status));
                    if (subscriptions.TryGetValue(s.SubscriptionId, out var subscription))
                        failures.Count(subscription, s);
                    break;
            }
        }
        if (!failed)
            foreach (var subscriptionId in settles.Select(op => op.Settlement.SubscriptionId).Distinct())
                await write.ResetFailuresAsync(subscriptionId, cancellationToken);

        foreach (var (subscriptionId, (reason, last)) in failures.ToDeactivate)
        {
            await SubscriptionStates.DeactivateAsync(write.Context, subscriptions[subscriptionId], reason, last.Result, write.Now, cancellationToken);
            foreach (var settle in settles.Where(op => op.Settlement.SubscriptionId == subscriptionId))
                settle.Result = settle.Result with { SubscriptionDeactivated = true };
            changes.Add(new DeliveryChanged(0, subscriptionId, DeliveryStatus.Buffered));
        }
        return changes;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} delivery changes; the workers will find the deliveries again")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, int count);
}
