using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Pipeline;

/// <summary>A 202 means on disk; what was stored but not processed is finished after a restart.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "webhook-studio-tests", Guid.NewGuid().ToString("N"));

    public void Dispose() => StudioFactory.TryDelete(dataDirectory);

    private StudioFactory Start() => new(dataDirectory) { DeleteDataOnDispose = false };

    [Fact]
    public async Task A_payload_answered_202_is_there_after_a_restart()
    {
        int sourceId;
        long payloadId;
        string key;
        using (var first = Start())
        {
            key = await first.CreateApiKeyAsync("Admin");
            var api = await ApiTestClient.ForRoleAsync(first, "Admin");
            var source = await api.SetUpSourceAsync("Durable");
            sourceId = source.Id;
            var response = await api.PostHookAsync(source.Token, SamplePayloads.Read("zendesk-ticket-updated.json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            payloadId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payloadId").GetInt64();
        }

        using var second = Start();
        var client = second.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{sourceId}/payloads/{payloadId}");
        Assert.Equal(SamplePayloads.Read("zendesk-ticket-updated.json"), stored.GetProperty("body").GetString());
        Assert.Equal("stored", stored.GetProperty("payload").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Payloads_stored_but_not_processed_when_the_process_stopped_are_processed_after_restart()
    {
        int sourceId;
        using (var first = Start())
        {
            var api = await ApiTestClient.ForRoleAsync(first, "Admin");
            sourceId = (await api.SetUpSourceAsync("Resumable", "tokeet", new { entityPath = "$.guest", idPath = "pkey", titlePath = "name", liveStream = true })).Id;
        }

        // As if the process had died between the commit of these payloads and their processing.
        var tokeet = SamplePayloads.Read("tokeet-guest-created.json");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "studio.db")}"))
        {
            await connection.OpenAsync();
            for (var i = 0; i < 3; i++)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO Payloads (SourceId, ReceivedAt, ContentType, Headers, Size, Body, Outcome, Created, Updated, Unchanged)
                    VALUES ($s, '2026-11-23 10:00:00', 'application/json', '{}', $size, $body, 'Pending', 0, 0, 0)
                    """;
                var body = System.Text.Encoding.UTF8.GetBytes(tokeet.Replace("\"pkey\": \"", $"\"pkey\": \"r{i}-", StringComparison.Ordinal));
                insert.Parameters.AddWithValue("$s", sourceId);
                insert.Parameters.AddWithValue("$size", body.Length);
                insert.Parameters.AddWithValue("$body", body);
                await insert.ExecuteNonQueryAsync();
            }
        }
        SqliteConnection.ClearAllPools();

        using var second = Start();
        var api2 = await ApiTestClient.ForRoleAsync(second, "Admin");
        var payloads = await api2.SettledPayloadsAsync(sourceId);
        Assert.Equal(3, payloads.Count);
        Assert.All(payloads, p => Assert.Equal("processed", (string)p!["outcome"]!));
        var items = await api2.ItemsAsync(sourceId);
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.StartsWith("r", (string)i!["externalId"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hundreds_of_parallel_posts_are_all_stored_exactly_once()
    {
        using var studio = Start();
        var api = await ApiTestClient.ForRoleAsync(studio, "Admin");
        var source = await api.SetUpSourceAsync("Busy", patch: new { idPath = "id", titlePath = "n", liveStream = true });

        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => api.PostHookAsync(source.Token, $$"""{"id":"p{{i}}","n":"{{i}}"}""")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payloadId").GetInt64()));
        Assert.Equal(400, ids.Distinct().Count());

        var payloads = await api.SettledPayloadsAsync(source.Id);
        Assert.Equal(400, (int)(await api.GetJsonAsync($"/api/v1/sources/{source.Id}/payloads?pageSize=1"))["total"]!);
        Assert.Equal(400, (int)(await api.GetJsonAsync($"/api/v1/items?sourceId={source.Id}&pageSize=1"))["total"]!);
        Assert.All(payloads, p => Assert.Equal("processed", (string)p!["outcome"]!));
    }
}
