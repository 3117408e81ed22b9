using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebhookStudio.Bench;

/// <summary>The few REST calls the bench makes, through the public API with the bootstrap key.</summary>
internal sealed class StudioClient(StudioProcess studio) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http = CreateHttp(studio);

    public sealed record CreatedSource(int Id, string Token);

    public sealed record SourceStatus(int PendingPayloads, int Items);

    /// <summary>What the pipeline made of every payload, summed over the source's payload list.</summary>
    public sealed record PayloadTotals(int Payloads, int Created, int Updated, int Unchanged, IReadOnlyDictionary<string, int> Outcomes);

    private sealed record PayloadRow(string Outcome, int Created, int Updated, int Unchanged);

    private sealed record Page<T>(List<T> Items, int Total);

    /// <summary>A GitHub source that turns every commit of a push into an item, with the live stream on.</summary>
    public async Task<CreatedSource> CreateGithubSourceAsync(CancellationToken cancellationToken)
    {
        using var created = await http.PostAsJsonAsync("api/v1/sources", new { name = "bench", app = "github" }, Json, cancellationToken);
        await EnsureAsync(created, HttpStatusCode.Created, "POST /api/v1/sources", cancellationToken);
        var source = await created.Content.ReadFromJsonAsync<CreatedSource>(Json, cancellationToken)
            ?? throw new BenchException("POST /api/v1/sources answered no body.");

        var mapping = new { entityPath = "$.commits[*]", idPath = "id", titlePath = "message", liveStream = true };
        using var patched = await http.PatchAsJsonAsync($"api/v1/sources/{source.Id}", mapping, Json, cancellationToken);
        await EnsureAsync(patched, HttpStatusCode.OK, $"PATCH /api/v1/sources/{source.Id}", cancellationToken);
        return source;
    }

    /// <summary>A subscription to the source's item.created and item.updated, sending the default JSON body to <paramref name="url"/>.</summary>
    public async Task<int> CreateSubscriptionAsync(int sourceId, Uri url, CancellationToken cancellationToken)
    {
        var body = new { name = "bench sink", app = "bench", sourceId, events = new[] { "item.created", "item.updated" }, url = url.ToString() };
        using var created = await http.PostAsJsonAsync("api/v1/subscriptions", body, Json, cancellationToken);
        await EnsureAsync(created, HttpStatusCode.Created, "POST /api/v1/subscriptions", cancellationToken);
        using var answer = await JsonDocument.ParseAsync(await created.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return answer.RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>The subscription's deliveries per status (pending, delivered, failed, …).</summary>
    public async Task<IReadOnlyDictionary<string, int>> GetDeliveryCountsAsync(int subscriptionId, CancellationToken cancellationToken)
    {
        var counts = await http.GetFromJsonAsync<Dictionary<string, int>>($"api/v1/deliveries/counts?subscriptionId={subscriptionId}", Json, cancellationToken)
            ?? throw new BenchException("GET /api/v1/deliveries/counts answered no body.");
        return new Dictionary<string, int>(counts, StringComparer.OrdinalIgnoreCase);
    }

    public sealed record DeliveryRow(string WebhookId, string Status, int AttemptCount, DateTime CreatedAt, DateTime? CompletedAt);

    /// <summary>Every delivery of the subscription (500 a page); not part of any timing.</summary>
    public async Task<IReadOnlyList<DeliveryRow>> GetDeliveriesAsync(int subscriptionId, CancellationToken cancellationToken)
    {
        var all = new List<DeliveryRow>();
        for (var page = 1; ; page++)
        {
            var rows = await http.GetFromJsonAsync<Page<DeliveryRow>>($"api/v1/deliveries?subscriptionId={subscriptionId}&page={page}&pageSize=500", Json, cancellationToken)
                ?? throw new BenchException("The delivery list answered no body.");
            all.AddRange(rows.Items);
            if (rows.Items.Count == 0 || all.Count >= rows.Total)
                return all;
        }
    }

    public async Task<SourceStatus> GetStatusAsync(int sourceId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<SourceStatus>($"api/v1/sources/{sourceId}", Json, cancellationToken)
        ?? throw new BenchException($"GET /api/v1/sources/{sourceId} answered no body.");

    /// <summary>Pages through every payload (500 a page) once the backlog is drained; not part of any timing.</summary>
    public async Task<PayloadTotals> GetPayloadTotalsAsync(int sourceId, CancellationToken cancellationToken)
    {
        int payloads = 0, created = 0, updated = 0, unchanged = 0;
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var rows = await http.GetFromJsonAsync<Page<PayloadRow>>($"api/v1/sources/{sourceId}/payloads?page={page}&pageSize=500", Json, cancellationToken)
                ?? throw new BenchException("The payload list answered no body.");
            foreach (var row in rows.Items)
            {
                payloads++;
                created += row.Created;
                updated += row.Updated;
                unchanged += row.Unchanged;
                outcomes[row.Outcome] = outcomes.GetValueOrDefault(row.Outcome) + 1;
            }
            if (rows.Items.Count == 0 || payloads >= rows.Total)
                break;
        }
        return new PayloadTotals(payloads, created, updated, unchanged, outcomes);
    }

    public void Dispose() => http.Dispose();

    private static HttpClient CreateHttp(StudioProcess studio)
    {
        var http = new HttpClient { BaseAddress = studio.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", studio.ApiKey);
        return http;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string call, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
            throw new BenchException($"{call} answered {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}
