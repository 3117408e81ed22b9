using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>
/// A studio with a short retry schedule (0.2 s, 0.4 s, then 1 s) that may send to loopback, a local sink, and a live
/// "Orders" source whose payloads are one order each (<c>{"id", "status", …}</c>).
/// </summary>
public abstract class DeliveryTestBase : ApiTestBase
{
    protected DeliveryTestBase(SharedStudio shared, Action<StudioFactory>? configure = null) : base(shared, () => Configure(new StudioFactory(), configure)) { }

    private static StudioFactory Configure(StudioFactory factory, Action<StudioFactory>? configure)
    {
        factory.With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Deliveries:RetrySchedule:0", "00:00:00.2")
            .With("Deliveries:RetrySchedule:1", "00:00:00.4")
            .With("Deliveries:RetrySchedule:2", "00:00:01")
            .With("Deliveries:Jitter", "0");
        configure?.Invoke(factory);
        return factory;
    }

    protected LocalSink Sink { get; private set; } = default!;

    protected CreatedSource Orders { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sink = await LocalSink.StartAsync();
        Orders = await Api.SetUpSourceAsync("Orders", patch: new { entityPath = "$", idPath = "id", titlePath = "status", liveStream = true });
    }

    public override async Task DisposeAsync()
    {
        await Sink.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A subscription to the Orders source's item.created and item.updated, to the sink; <paramref name="extra"/> adds or overrides fields.</summary>
    protected async Task<int> SubscribeAsync(object? extra = null, string path = "/hook")
    {
        var body = new JsonObject
        {
            ["app"] = "crm", ["events"] = new JsonArray("item.created", "item.updated"), ["url"] = Sink.Url(path), ["sourceId"] = Orders.Id,
        };
        if (extra is not null)
            foreach (var (name, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
                body[name] = value?.DeepClone();
        return Id(await Api.CreateSubscriptionAsync(body));
    }

    protected async Task SendOrderAsync(string id, string status, object? more = null)
    {
        var order = new JsonObject { ["id"] = id, ["status"] = status };
        if (more is not null)
            foreach (var (name, value) in JsonSerializer.SerializeToNode(more)!.AsObject())
                order[name] = value?.DeepClone();
        await ExpectAsync(await Api.PostHookAsync(Orders.Token, order.ToJsonString()), HttpStatusCode.Accepted);
    }

    protected async Task<JsonArray> DeliveriesAsync(string query) =>
        (JsonArray)(await Api.GetJsonAsync($"{V1}/deliveries?pageSize=500&{query}"))["items"]!;

    /// <summary>Waits until the subscription's deliveries satisfy <paramref name="done"/>; answers them, newest first.</summary>
    protected Task<JsonArray> WaitForDeliveriesAsync(int subscriptionId, Func<JsonArray, bool> done, string what, double seconds = 30) =>
        Eventually.Until(() => DeliveriesAsync($"subscriptionId={subscriptionId}"), done, what, TimeSpan.FromSeconds(seconds));

    protected static string Status(JsonNode? delivery) => (string)delivery!["status"]!;

    protected static bool All(JsonArray deliveries, int count, string status) =>
        deliveries.Count == count && deliveries.All(d => Status(d) == status);

    protected async Task<JsonObject> DeliveryAsync(long id) => await Api.GetJsonAsync($"{V1}/deliveries/{id}");

    protected Task<HttpResponseMessage> PostAsync(string path) => Api.Http.PostAsync($"{V1}{path}", null);

    protected Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Api.Http.PostAsJsonAsync($"{V1}{path}", body);

    /// <summary>
    /// Pending copies of the subscription's one delivery, due now, that no job holds: for a test to hand to a
    /// <see cref="DeliveryJob"/> itself. Their webhook-ids are <paramref name="webhookIdPrefix"/> and their index.
    /// </summary>
    protected async Task<long[]> PendingCopiesAsync(int subscriptionId, int count, string webhookIdPrefix)
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var original = await db.Deliveries.SingleAsync(d => d.SubscriptionId == subscriptionId);
        var copies = Enumerable.Range(0, count).Select(i => new Delivery
        {
            SubscriptionId = subscriptionId, Activity = original.Activity, ItemId = original.ItemId, ItemChangeId = original.ItemChangeId,
            WebhookId = $"{webhookIdPrefix}{i}", Status = DeliveryStatus.Pending, NextAttemptAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow,
        }).ToList();
        db.Deliveries.AddRange(copies);
        await db.SaveChangesAsync();
        return [.. copies.Select(c => c.Id)];
    }

    /// <summary>A delivery job on the app's services; <paramref name="slots"/> stands for another instance's.</summary>
    protected DeliveryJob Job(DeliverySlots? slots = null) =>
        slots is null ? ActivatorUtilities.CreateInstance<DeliveryJob>(Factory.Services) : ActivatorUtilities.CreateInstance<DeliveryJob>(Factory.Services, slots);

    /// <summary>The sink answers with this status (and optional headers) from now on.</summary>
    protected void SinkAnswers(int status, string body = "", params (string Name, string Value)[] headers) =>
        Sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers) context.Response.Headers[name] = value;
            await context.Response.WriteAsync(body);
        };
}
