using WebhookStudio.Features.Deliveries;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>The per-subscription slots and the line of deliveries waiting for one.</summary>
public sealed class DeliveryConcurrencyTests
{
    [Fact]
    public void A_full_subscription_lines_deliveries_up_and_hands_each_freed_slot_to_the_first_in_line()
    {
        var slots = new DeliveryConcurrency();
        Assert.Equal([[10]], slots.EnterOrWait(1, limit: 2, [10]));
        Assert.Equal([[11]], slots.EnterOrWait(1, limit: 2, [11]));
        Assert.Empty(slots.EnterOrWait(1, limit: 2, [12]));
        Assert.Empty(slots.EnterOrWait(1, limit: 2, [13]));
        // Another subscription has slots of its own.
        Assert.Equal([[20]], slots.EnterOrWait(2, limit: 2, [20]));
        Assert.Equal([12L, 13L], slots.WaitingNow().Order());

        Assert.Equal([12L], slots.ExitOrHandOver(1));
        Assert.Equal([13L], slots.ExitOrHandOver(1));
        Assert.Equal(2, slots.InFlight(1));
        Assert.Empty(slots.WaitingNow());

        Assert.Empty(slots.ExitOrHandOver(1));
        Assert.Empty(slots.ExitOrHandOver(1));
        Assert.Equal(0, slots.InFlight(1));
        Assert.Equal([[14]], slots.EnterOrWait(1, limit: 2, [14]));
    }

    [Fact]
    public void A_delivery_already_in_line_is_not_lined_up_twice()
    {
        var slots = new DeliveryConcurrency();
        Assert.Equal([[1]], slots.EnterOrWait(1, limit: 1, [1]));
        Assert.Empty(slots.EnterOrWait(1, limit: 1, [2]));
        // The reconciler, or a second job for the same id, arrives while it waits.
        Assert.Empty(slots.EnterOrWait(1, limit: 1, [2]));

        Assert.Equal([2L], slots.ExitOrHandOver(1));
        Assert.Empty(slots.ExitOrHandOver(1));
        Assert.Equal(0, slots.InFlight(1));
    }

    [Fact]
    public void A_freed_slot_takes_a_handful_from_the_line_in_order_and_keeps_the_slot_for_them()
    {
        var slots = new DeliveryConcurrency();
        Assert.Equal([[1]], slots.EnterOrWait(1, limit: 1, [1]));
        foreach (var id in new long[] { 2, 3, 4, 5, 6 })
            Assert.Empty(slots.EnterOrWait(1, limit: 1, [id]));

        Assert.Equal([2L, 3L, 4L], slots.ExitOrHandOver(1, max: 3));
        Assert.Equal(1, slots.InFlight(1));
        Assert.Equal([5L, 6L], slots.WaitingNow().Order());
        Assert.Equal([5L, 6L], slots.ExitOrHandOver(1, max: 3));
        Assert.Empty(slots.ExitOrHandOver(1, max: 3));
        Assert.Equal(0, slots.InFlight(1));
    }

    [Fact]
    public void A_job_spreads_its_deliveries_over_the_free_slots_and_lines_up_what_they_cannot_take()
    {
        var slots = new DeliveryConcurrency();
        Assert.Equal([[1L]], slots.EnterOrWait(1, limit: 3, [1]));

        // Two slots free, runs of at most three: 2..7 go as two runs in order, 8 and 9 wait in line.
        Assert.Equal([[2L, 3L, 4L], [5L, 6L, 7L]], slots.EnterOrWait(1, limit: 3, [2, 3, 4, 5, 6, 7, 8, 9], perSlot: 3));
        Assert.Equal(3, slots.InFlight(1));
        Assert.Equal([8L, 9L], slots.WaitingNow().Order());

        // Fewer deliveries than free slots: one slot each, no more.
        Assert.Equal([[20L], [21L]], slots.EnterOrWait(2, limit: 10, [20, 21], perSlot: 3));
        Assert.Equal(2, slots.InFlight(2));
        // Spread evenly: five on two slots go as three and two.
        Assert.Equal([[30L, 31L, 32L], [33L, 34L]], slots.EnterOrWait(3, limit: 2, [30, 31, 32, 33, 34], perSlot: 25));
    }
}
