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

        Assert.Equal([12L], slots.ExitOrHandOver(1));
        Assert.Equal([13L], slots.ExitOrHandOver(1));
        Assert.Equal(2, slots.InFlight(1));
        Assert.Empty(slots.WaitingNow());

        Assert.Empty(slots.ExitOrHandOver(1));
        Assert.Empty(slots.ExitOrHandOver(1));
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

        Assert.Equal([2L], slots.ExitOrHandOver(1));
        Assert.Empty(slots.ExitOrHandOver(1));
        Assert.Equal(0, slots.InFlight(1));
    }

    [Fact]
    public void A_freed_slot_takes_a_handful_from_the_line_in_order_and_keeps_the_slot_for_them()
    {
        var slots = new DeliveryConcurrency();
        Assert.True(slots.EnterOrWait(1, limit: 1, deliveryId: 1));
        foreach (var id in new long[] { 2, 3, 4, 5, 6 })
            Assert.False(slots.EnterOrWait(1, limit: 1, deliveryId: id));

        Assert.Equal([2L, 3L, 4L], slots.ExitOrHandOver(1, max: 3));
        Assert.Equal(1, slots.InFlight(1));
        Assert.Equal([5L, 6L], slots.WaitingNow().Order());
        Assert.Equal([5L, 6L], slots.ExitOrHandOver(1, max: 3));
        Assert.Empty(slots.ExitOrHandOver(1, max: 3));
        Assert.Equal(0, slots.InFlight(1));
    }
}
