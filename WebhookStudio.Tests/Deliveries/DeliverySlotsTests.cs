using WebhookStudio.Features.Deliveries;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>The per-subscription send slots a delivery job takes.</summary>
public sealed class DeliverySlotsTests
{
    [Fact]
    public async Task A_job_takes_the_free_slots_it_wants_and_a_full_subscription_gives_none_until_one_is_given_back()
    {
        var slots = new DeliverySlots();
        using var first = await slots.TakeAsync(1, limit: 3, wanted: 2, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(2, first.Count);
        // Only one left: a job wanting three gets it.
        var second = await slots.TakeAsync(1, limit: 3, wanted: 3, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(1, second.Count);
        Assert.Equal(0, (await slots.TakeAsync(1, limit: 3, wanted: 1, TimeSpan.Zero, CancellationToken.None)).Count);
        // Another subscription has slots of its own.
        using (var other = await slots.TakeAsync(2, limit: 3, wanted: 3, TimeSpan.Zero, CancellationToken.None))
            Assert.Equal(3, other.Count);

        var waiting = slots.TakeAsync(1, limit: 3, wanted: 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        second.Dispose();
        using var handed = await waiting;
        Assert.Equal(1, handed.Count);
    }
}
