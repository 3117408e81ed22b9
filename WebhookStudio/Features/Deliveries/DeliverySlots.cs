using System.Collections.Concurrent;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// Sends in flight per subscription (<see cref="DeliveryOptions.ConcurrencyPerSubscription"/>), counted in this
/// process: Hangfire has no limit per key, and a lease marks one delivery, not a sender. A job takes a slot before it
/// sends a subscription's deliveries and gives it back after; the deliveries themselves stay in the job (and so in
/// Hangfire's storage) and in the deliveries table, never in a line here.
/// </summary>
public sealed class DeliverySlots
{
    private readonly ConcurrentDictionary<int, SemaphoreSlim> slots = new();

    /// <summary>
    /// Waits up to <paramref name="wait"/> for one of the subscription's slots, then takes any others free, up to
    /// <paramref name="wanted"/>.
    /// </summary>
    /// <returns>The slots taken, given back on dispose; none when the wait ran out.</returns>
    public async Task<Taken> TakeAsync(int subscriptionId, int limit, int wanted, TimeSpan wait, CancellationToken cancellationToken)
    {
        var gate = slots.GetOrAdd(subscriptionId, _ => new SemaphoreSlim(Math.Max(1, limit)));
        if (!await gate.WaitAsync(wait, cancellationToken))
            return new Taken(gate, 0);
        var count = 1;
        while (count < wanted && gate.Wait(0, CancellationToken.None))
            count++;
        return new Taken(gate, count);
    }

    public sealed class Taken(SemaphoreSlim gate, int count) : IDisposable
    {
        public int Count => count;

        public void Dispose()
        {
            if (count > 0)
                gate.Release(count);
            count = 0;
        }
    }
}
