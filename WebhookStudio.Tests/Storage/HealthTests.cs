using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Storage;

/// <summary>/health tells what the receiver would answer: a database that refuses writes is unhealthy, though it still answers reads.</summary>
public sealed class HealthTests(SharedStudio shared) : ApiTestBase(shared)
{
    private async Task ExecuteAsync(string sql)
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    [Fact]
    public async Task Health_is_unhealthy_while_the_receiver_cannot_store_payloads()
    {
        var source = await Api.SetUpSourceAsync("Health", patch: new { idPath = "id", liveStream = true });
        using var monitor = Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await monitor.GetAsync("/health")).StatusCode);

        // What a full disk does to the receiver's commit, without filling a disk.
        await ExecuteAsync("CREATE TRIGGER refuse_payloads BEFORE INSERT ON Payloads BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Api.PostHookAsync(source.Token, """{"id":1}""")).StatusCode);
        var health = await monitor.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());

        await ExecuteAsync("DROP TRIGGER refuse_payloads;");
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, """{"id":2}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await monitor.GetAsync("/health")).StatusCode);
    }
}
