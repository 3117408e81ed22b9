using WebhookStudio.Features.Deliveries;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>The per-subscription slots and the line of deliveries waiting for one.</summary>
public sealed class DeliveryConcurrencyTests
{
    [Fact]
    public void A_full_subscription_lines_deliveries_up_and_hands_each_freed_slot_to_the_first_in_line()
    {
        var slots = new DeliveryConcurrency();
        Assert.True(slots.EnterOrWait(1, limit: 2, deliveryId: 10));
        Assert.True(slots.EnterOrWait(1, limit: 2, deliveryId: 11));
        Assert.False(slots.EnterOrWait(1, limit: 2, deliveryId: 12));
        Assert.False(slots.EnterOrWait(1, limit: 2, deliveryId: 13));
        // Another subscription has slots of its own.
        Assert.True(slots.EnterOrWait(2, limit: 2, deliveryId: 20));
        Assert.Equal([12L, 13L], slots.WaitingNow().Order());

        Assert.Equal(12, slots.ExitOrHandOver(1));
        Assert.Equal(13, slots.ExitOrHandOver(1));
        Assert.Equal(2, slots.InFlight(1));
        Assert.Empty(slots.WaitingNow());

        Assert.Null(slots.ExitOrHandOver(1));
        Assert.Null(slots.ExitOrHandOver(1));
        Assert.Equal(0, slots.InFlight(1));
        Assert.True(slots.EnterOrWait(1, limit: 2, deliveryId: 14));
    }

    [Fact]
    public void A_delivery_already_in_line_is_not_lined_up_twice()
    {
        var slots = new DeliveryConcurrency();
        Assert.True(slots.EnterOrWait(1, limit: 1, deliveryId: 1));
        Assert.False(slots.EnterOrWait(1, limit: 1, deliveryId: 2));
        // The reconciler, or a second job for the same id, arrives while it waits.
        Assert.False(slots.EnterOrWait(1, limit: 1, deliveryId: 2));

        Assert.Equal(2, slots.ExitOrHandOver(1));
        Assert.Null(slots.ExitOrHandOver(1));
        Assert.Equal(0, slots.InFlight(1));
    }
}
