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
