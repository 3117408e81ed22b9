using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Browser;

/// <summary>
/// A studio with something on every page, made through the API: a live source with three orders (items), a
/// subscription delivering them to a local sink, one to a closed port that keeps failing, and a bin with a request.
/// </summary>
public sealed record SampleStudio(int SourceId, long PayloadId, long ItemId, int SubscriptionId, long DeliveryId, long FailedDeliveryId, int BinId, string BinUrl)
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "admin-pass-1";
    public const string TesterEmail = "tester@example.com";
    public const string TesterPassword = "tester-pass-1";

    /// <summary>Starts the studio, allowed to deliver to the local <paramref name="sink"/>, and fills it; answers its address.</summary>
    public static async Task<(SampleStudio Sample, Uri BaseAddress)> StartAsync(LiveStudio studio, LocalSink sink)
    {
        studio.With("Outbound:AllowedNetworks:0", "127.0.0.0/8");
        var baseAddress = studio.Start();
        return (await FillAsync(studio, sink), baseAddress);
    }

    /// <summary>Fills a started studio, whose Outbound:AllowedNetworks must take 127.0.0.0/8, and adds an Admin and a Tester.</summary>
    public static async Task<SampleStudio> FillAsync(LiveStudio studio, LocalSink sink)
    {
        await studio.CreateUserAsync(AdminEmail, AdminPassword, "Admin");
        await studio.CreateUserAsync(TesterEmail, TesterPassword, "Tester");
        var api = await ForRoleAsync(studio, "Admin");
        var source = await api.SetUpSourceAsync("Shop orders", patch: new { entityPath = "$", idPath = "id", titlePath = "customer", liveStream = true });
        var subscription = await api.CreateSubscriptionAsync(new
        {
            name = "CRM orders", app = "crm", events = new[] { "item.created", "item.updated" }, url = sink.Url("/webhooks/orders"), sourceId = source.Id,
        });
        var failing = await api.CreateSubscriptionAsync(new
        {
            name = "Warehouse", app = "warehouse", events = new[] { "item.created" }, url = "http://127.0.0.1:9/closed", sourceId = source.Id, maxAttempts = 5,
        });
        foreach (var (id, customer, total) in new[] { ("1001", "Ada Lovelace", "129.00"), ("1002", "Grace Hopper", "80.00"), ("1003", "Alan Turing", "42.00") })
            (await api.PostHookAsync(source.Token, $$"""{"id":"{{id}}","customer":"{{customer}}","total":"{{total}}","lines":[{"sku":"TEA-01","qty":2}]}""")).EnsureSuccessStatusCode();
        var payloadId = (long)(await api.SettledPayloadsAsync(source.Id))[0]!["id"]!;
        var itemId = (await api.FindItemAsync(source.Id, "1001")).GetProperty("id").GetInt64();

        var delivered = await DeliveriesAsync(api, Id(subscription), "delivered", 3);
        var failed = await DeliveriesAsync(api, Id(failing), "failing", 3);

        var bin = await ExpectAsync(await api.Http.PostAsJsonAsync($"{V1}/bins", new { name = "CRM staging", response = new { status = 202, body = "accepted" } }), System.Net.HttpStatusCode.Created);
        var binUrl = bin.GetProperty("url").GetString()!;
        (await api.Http.PostAsync(binUrl + "/orders", new StringContent("""{"order":{"id":"A-1001","total":129.5}}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        return new SampleStudio(source.Id, payloadId, itemId, Id(subscription), (long)delivered[0]!["id"]!, (long)failed[0]!["id"]!, Id(bin), binUrl);
    }

    /// <summary>Waits for <paramref name="count"/> deliveries of a subscription, each in <paramref name="status"/> or, for "failing", not yet delivered but tried.</summary>
    private static async Task<JsonArray> DeliveriesAsync(ApiTestClient api, int subscriptionId, string status, int count)
    {
        var list = await Eventually.Until(
            async () => (JsonArray)(await api.GetJsonAsync($"{V1}/deliveries?subscriptionId={subscriptionId}"))["items"]!,
            items => items.Count == count && items.All(d => status == "failing" ? (int)d!["attemptCount"]! > 0 : (string?)d!["status"] == status),
            $"{count} {status} deliveries of subscription {subscriptionId}", TimeSpan.FromSeconds(20));
        return list;
    }
}
