using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>The database is the state of record: deliveries pending when the app stops are sent after the next start.</summary>
public sealed class RecoveryTests
{
    [Fact]
    public async Task The_reconciler_sends_due_deliveries_no_job_holds_after_a_restart()
    {
        await using var sink = await LocalSink.StartAsync();
        sink.Respond = async (_, context) => { context.Response.StatusCode = 503; await context.Response.WriteAsync("down"); };
        var dataDirectory = Path.Combine(Path.GetTempPath(), "webhook-studio-tests", Guid.NewGuid().ToString("N"));
        StudioFactory Studio() => new StudioFactory(dataDirectory)
            .With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Deliveries:RetrySchedule:0", "00:00:02");

        int subscriptionId;
        using (var first = Studio())
        {
            first.DeleteDataOnDispose = false;
            var api = await ForRoleAsync(first, "Admin");
            var source = await api.SetUpSourceAsync("Orders", patch: new { entityPath = "$", idPath = "id", liveStream = true });
            subscriptionId = Id(await api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = sink.Url(), sourceId = source.Id }));
            for (var i = 0; i < 3; i++)
                await ExpectAsync(await api.PostHookAsync(source.Token, $"{{\"id\":\"S{i}\"}}"), HttpStatusCode.Accepted);
            await Eventually.Until(() => api.GetJsonAsync($"{V1}/deliveries?subscriptionId={subscriptionId}"),
                page => ((JsonArray)page["items"]!).Count == 3 && ((JsonArray)page["items"]!).All(d => (int)d!["attemptCount"]! == 1),
                "three first attempts");
        }

        // The in-memory jobs of the first run are gone; only the rows say the retries are due in 2 s.
        sink.Respond = (_, context) => context.Response.WriteAsync("ok");
        var before = sink.Requests.Count;
        using var second = Studio();
        var again = await ForRoleAsync(second, "Admin");
        await Eventually.Until(() => again.GetJsonAsync($"{V1}/deliveries?subscriptionId={subscriptionId}&status=delivered"),
            page => ((JsonArray)page["items"]!).Count == 3, "all three delivered by the reconciler", TimeSpan.FromSeconds(20));
        Assert.All(sink.Requests.Skip(before).GroupBy(r => r.Header("webhook-id")), g => Assert.Single(g));
        Assert.Equal(3, sink.Requests.Skip(before).Count());
        StudioFactory.TryDelete(dataDirectory);
    }
}
