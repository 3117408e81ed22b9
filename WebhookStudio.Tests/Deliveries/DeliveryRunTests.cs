using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>
/// A slot sends a run of deliveries one after the other under leases claimed for all of them at once. With no lease
/// margin, every send may outlast the lease, so the slot renews the leases of the rest before each send: if a renewal
/// were refused, the rest would sit leased until the lease ran out (30 s) and this test would time out first.
/// </summary>
public sealed class DeliveryRunTests(SharedStudio shared) : DeliveryTestBase(shared, f => f
    .With("Deliveries:ConcurrencyPerSubscription", "1")
    .With("Deliveries:LeaseMargin", "00:00:00"))
{
    [Fact]
    public async Task A_run_on_one_slot_renews_its_leases_as_it_goes_and_delivers_each_once()
    {
        var subscriptionId = await SubscribeAsync();
        await SendOrderAsync("R-0", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "delivered"), "the first delivery");

        // One job with five deliveries of the subscription: its only slot sends them as one run.
        var ids = await PendingCopiesAsync(subscriptionId, 5, "msg_run_");
        await Job().RunAsync(ids, CancellationToken.None);
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 6, "delivered"), "all six delivered", seconds: 15);

        Assert.Equal(6, Sink.Requests.Count);
        Assert.Equal(6, Sink.Requests.Select(r => r.Header("webhook-id")).Distinct().Count());
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Deliveries.AnyAsync(d => d.SubscriptionId == subscriptionId && d.LeaseUntil != null));
    }
}
