using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Sources.Pipeline;

namespace WebhookStudio.Tests.Storage;

/// <summary>The studio on PostgreSQL: migrations, jobs, the receiver, the pipeline and the API, through the real app.</summary>
public sealed class PostgresApiTests(PostgresStudioFixture fixture) : IClassFixture<PostgresStudioFixture>
{
    private ApiTestClient Api => fixture.Api;

    [PostgresFact]
    public async Task Migrations_and_the_job_schema_are_applied_at_start()
    {
        using var db = fixture.Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.IsType<PostgresStudioDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'hangfire'"));

        // The job server announces itself in the shared storage a moment after start.
        using var client = fixture.Factory.CreateClient();
        await Eventually.Until(() => client.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, "a healthy /health",
            TimeSpan.FromSeconds(60));
    }

    [PostgresTheory]
    [MemberData(nameof(PipelineTests.Samples), MemberType = typeof(PipelineTests))]
    public async Task Every_sample_payload_becomes_items(string file, string contentType, string entityPath, string idPath, string titlePath, string expectedTitle)
    {
        var source = await Api.SetUpSourceAsync(file, patch: new { entityPath, idPath, titlePath, liveStream = true });
        var body = SamplePayloads.Read(file);
        if (file.EndsWith(".form", StringComparison.Ordinal)) body = body.Trim();
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, body, contentType)).StatusCode);

        var payload = (await Api.SettledPayloadsAsync(source.Id)).Single()!;
        Assert.Equal("processed", (string)payload["outcome"]!);
        var items = await Api.ItemsAsync(source.Id);
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, (int)payload["created"]!);
        if (expectedTitle.Length > 0)
            Assert.Contains(items, i => (string?)i!["title"] == expectedTitle);

        // The body comes back byte for byte (bytea), with its content type.
        var detail = await Api.GetPayloadAsync(source.Id, (long)payload["id"]!);
        Assert.Equal(contentType, detail.GetProperty("payload").GetProperty("contentType").GetString());
    }

    [PostgresFact]
    public async Task Items_keep_their_history_and_are_found_ignoring_case()
    {
        var source = await Api.SetUpSourceAsync("Orders", patch: new { idPath = "id", titlePath = "name", liveStream = true });
        await Api.PostHookAsync(source.Token, """{"id":"Ord-1","name":"Blue Chair","qty":1}""");
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, """{"id":"Ord-1","name":"Blue Chair","qty":2}""");
        await Api.SettledPayloadsAsync(source.Id);

        var item = await Api.FindItemAsync(source.Id, "Ord-1");
        var detail = await Api.GetItemAsync(item.GetProperty("id").GetInt64());
        var kinds = detail.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("kind").GetString()).Order().ToList();
        Assert.Equal(["created", "updated"], kinds);

        // Same answers as on SQLite, whose LIKE ignores ASCII case.
        foreach (var term in new[] { "blue", "BLUE CH", "ord-", "Ord-1" })
        {
            var found = await Api.ListItemsAsync($"sourceId={source.Id}&search={Uri.EscapeDataString(term)}");
            Assert.Equal(1, found.GetProperty("total").GetInt32());
        }
    }

    [PostgresFact]
    public Task Items_are_found_by_text_within_titles_ids_and_data_values() => Items.ItemSearchScenario.AssertAsync(Api);

    [PostgresFact]
    public async Task Duplicates_and_rejected_payloads_are_kept_with_their_outcome()
    {
        var source = await Api.SetUpSourceAsync("Dedup", patch: new
        {
            idPath = "id", liveStream = true, dedupKey = "$.event_id",
            verification = new { kind = "github", secret = "pg-secret" },
        });
        var body = """{"id":"a","event_id":"evt-1"}""";
        var signed = new Dictionary<string, string> { ["X-Hub-Signature-256"] = ApiTestClient.GitHubSignature("pg-secret", System.Text.Encoding.UTF8.GetBytes(body)) };
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, body, headers: signed)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, body, headers: signed)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.PostHookAsync(source.Token, body)).StatusCode);

        var outcomes = (await Api.SettledPayloadsAsync(source.Id)).Select(p => (string)p!["outcome"]!).Order().ToList();
        Assert.Equal(["duplicate", "processed", "rejected"], outcomes);
        Assert.Single(await Api.ItemsAsync(source.Id));
    }

    [PostgresFact]
    public async Task Values_postgresql_cannot_store_do_not_block_the_pipeline()
    {
        // U+0000 is valid JSON but not PostgreSQL text; an id longer than the column is refused like any bad id.
        var source = await Api.SetUpSourceAsync("Odd values", patch: new { idPath = "id", titlePath = "title", liveStream = true });
        var longId = new string('x', 501);
        await Api.PostHookAsync(source.Token, $$"""[{"id":"nul\u0000id"},{"id":"{{longId}}"},{"id":"ok","title":"a\u0000b"}]""");

        var payload = (await Api.SettledPayloadsAsync(source.Id)).Single()!;
        Assert.Equal("processed", (string)payload["outcome"]!);
        Assert.Contains("2 of 3 entities skipped", (string)payload["reason"]!, StringComparison.Ordinal);
        var item = (JsonObject)(await Api.ItemsAsync(source.Id)).Single()!;
        Assert.Equal("ab", (string)item["title"]!);
    }
}
