using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Features.Sources;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Sources.Pipeline;

public sealed class RetentionAndEventsTests(SharedStudio shared) : ApiTestBase(shared, () => new StudioFactory().With("Receiver:RetentionDays", "30"))
{

    private async Task AgePayloadsAsync(int sourceId, int days)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataDirectory, "studio.db")}");
        await connection.OpenAsync();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE Payloads SET ReceivedAt = $at WHERE SourceId = $s";
        update.Parameters.AddWithValue("$at", DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        update.Parameters.AddWithValue("$s", sourceId);
        await update.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Old_payloads_are_purged_items_stay_and_a_source_may_keep_them_longer()
    {
        var normal = await Api.SetUpSourceAsync("Normal", patch: new { idPath = "id", liveStream = true });
        var keeper = await Api.SetUpSourceAsync("Keeper", patch: new { idPath = "id", liveStream = true, retentionDays = 90 });
        await Api.PostHookAsync(normal.Token, """{"id":"old"}""");
        await Api.PostHookAsync(keeper.Token, """{"id":"kept"}""");
        await Api.SettledPayloadsAsync(normal.Id);
        await Api.SettledPayloadsAsync(keeper.Id);
        await Api.PostHookAsync(normal.Token, """{"id":"fresh"}""");
        await Api.SettledPayloadsAsync(normal.Id);
        await AgePayloadsAsync(keeper.Id, 45);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataDirectory, "studio.db")}"))
        {
            await connection.OpenAsync();
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE Payloads SET ReceivedAt = '2020-01-01 00:00:00' WHERE Id = (SELECT MIN(Id) FROM Payloads WHERE SourceId = $s)";
            update.Parameters.AddWithValue("$s", normal.Id);
            await update.ExecuteNonQueryAsync();
        }

        var purged = await Factory.Services.GetRequiredService<PayloadRetention>().PurgeAsync();

        Assert.Equal(1, purged);
        Assert.Equal(1, (int)(await Api.GetJsonAsync($"/api/v1/sources/{normal.Id}/payloads"))["total"]!);
        Assert.Equal(1, (int)(await Api.GetJsonAsync($"/api/v1/sources/{keeper.Id}/payloads"))["total"]!);
        Assert.Equal(2, (await Api.ItemsAsync(normal.Id)).Count);
    }

    [Fact]
    public void Retention_runs_as_a_recurring_job()
    {
        Factory.CreateClient();
        using var connection = Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), job => job.Id == PayloadRetention.JobId);
    }

    [Fact]
    public async Task The_pipeline_announces_payloads_and_item_activities()
    {
        var seen = new ConcurrentQueue<StudioEvent>();
        using var subscription = Factory.Services.GetRequiredService<EventHub<StudioEvent>>().Subscribe(e => { seen.Enqueue(e); return Task.CompletedTask; });
        var source = await Api.SetUpSourceAsync("Announce", patch: new { idPath = "id", liveStream = true });

        await Api.PostHookAsync(source.Token, """{"id":"e1","v":1}""");
        await Api.SettledPayloadsAsync(source.Id);
        await Api.PostHookAsync(source.Token, """{"id":"e1","v":2}""");
        await Api.SettledPayloadsAsync(source.Id);

        var kinds = await Eventually.Until(() => Task.FromResult(seen.Where(e => e.SourceId == source.Id).Select(e => e.Kind).ToList()), k => k.Count >= 6, "six events");
        Assert.Equal(2, kinds.Count(k => k == StudioEventKind.PayloadReceived));
        Assert.Equal(2, kinds.Count(k => k == StudioEventKind.PayloadProcessed));
        Assert.Equal(1, kinds.Count(k => k == StudioEventKind.ItemCreated));
        Assert.Equal(1, kinds.Count(k => k == StudioEventKind.ItemUpdated));
        Assert.All(seen.Where(e => e.Kind is StudioEventKind.ItemCreated or StudioEventKind.ItemUpdated), e => Assert.NotNull(e.ChangeId));
    }
}
