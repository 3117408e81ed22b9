using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Subscriptions;

/// <summary>A studio that may send to loopback (through Outbound:AllowedNetworks), a local sink, and a Stripe source with its invoice as an item.</summary>
public abstract class OutboundTestBase : ApiTestBase
{
    protected OutboundTestBase(SharedStudio shared) : base(shared, () => new StudioFactory().With("Outbound:AllowedNetworks:0", "127.0.0.0/8")) { }

    protected LocalSink Sink { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sink = await LocalSink.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Sink.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>The Stripe sample sent through the receiver: one invoice item <c>in_1QxY2yAbCdEfGhIj</c>.</summary>
    protected async Task<(int SourceId, long ItemId)> StripeItemAsync()
    {
        var source = await Api.CreateLiveSourceAsync("$.data.object", "id", "customer_email", "Stripe invoices");
        Assert.Equal("processed", Outcome(await Api.SendAndWaitAsync(source, SamplePayloads.Read("stripe-invoice-paid.json"))));
        var item = await Api.FindItemAsync(Id(source), "in_1QxY2yAbCdEfGhIj");
        return (Id(source), item.GetProperty("id").GetInt64());
    }

    protected static JsonElement Request(JsonElement exampleOrTest) => exampleOrTest.GetProperty("request");
}
