using System.Net;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookStudio.Features.Deliveries;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>
/// Across a restart: Hangfire's jobs are kept in the data directory (jobs.db), so the history and the scheduled retries
/// come back; and the deliveries table is the state of record, so deliveries pending when the app stops are sent.
/// </summary>
public sealed class RecoveryTests
{
    [Fact]
    public async Task Jobs_run_before_a_restart_are_still_listed_and_scheduled_retries_run_after_it()
    {
        await using var sink = await LocalSink.StartAsync();
        sink.Respond = async (_, context) => { context.Response.StatusCode = 503; await context.Response.WriteAsync("down"); };
        var dataDirectory = Path.Combine(Path.GetTempPath(), "webhook-studio-tests", Guid.NewGuid().ToString("N"));
        // The reconciler takes up only deliveries overdue by an hour: whatever is sent after the restart, Hangfire sent.
        StudioFactory Studio() => new StudioFactory(dataDirectory)
            .With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Deliveries:RetrySchedule:0", "00:00:06")
            .With("Deliveries:Jitter", "0")
            .With("Deliveries:ReconcileEvery", "01:00:00");

        int subscriptionId;
        HashSet<string> succeededBefore;
        using (var first = Studio())
        {
            first.DeleteDataOnDispose = false;
            subscriptionId = await FirstAttemptsAsync(first, sink, orders: 2);
            var monitoring = first.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var scheduled = await Eventually.Until(() => Task.FromResult(DeliveryJobs(monitoring.ScheduledJobs(0, 100))), ids => ids.Count == 2, "two retries scheduled");
            succeededBefore = await Eventually.Until(() => Task.FromResult(DeliveryJobs(monitoring.SucceededJobs(0, 100))), ids => ids.Count > 0, "a delivery job to succeed");
            Assert.Empty(scheduled.Intersect(succeededBefore));
        }

        sink.Respond = (_, context) => context.Response.WriteAsync("ok");
        var before = sink.Requests.Count;
        using var second = Studio();
        var again = await ForRoleAsync(second, "Admin");
        var after = second.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        // The Background jobs page reads the same monitoring API: the jobs of the first run are still there.
        Assert.Superset(succeededBefore, DeliveryJobs(after.SucceededJobs(0, 100)));
        await Eventually.Until(() => again.GetJsonAsync($"{V1}/deliveries?subscriptionId={subscriptionId}&status=delivered"),
            page => ((JsonArray)page["items"]!).Count == 2, "both retries delivered by their scheduled jobs", TimeSpan.FromSeconds(30));
        Assert.Equal(2, sink.Requests.Skip(before).Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.Equal(2, sink.Requests.Skip(before).Count());
        StudioFactory.TryDelete(dataDirectory);
    }

    /// <summary>A source, a subscription to the sink and <paramref name="orders"/> orders, each of whose deliveries had its first attempt.</summary>
    private static async Task<int> FirstAttemptsAsync(StudioFactory studio, LocalSink sink, int orders)
    {
        var api = await ForRoleAsync(studio, "Admin");
        var source = await api.SetUpSourceAsync("Orders", patch: new { entityPath = "$", idPath = "id", liveStream = true });
        var subscriptionId = Id(await api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = sink.Url(), sourceId = source.Id }));
        for (var i = 0; i < orders; i++)
            await ExpectAsync(await api.PostHookAsync(source.Token, $"{{\"id\":\"O{i}\"}}"), HttpStatusCode.Accepted);
        await Eventually.Until(() => api.GetJsonAsync($"{V1}/deliveries?subscriptionId={subscriptionId}"),
            page => ((JsonArray)page["items"]!).Count == orders && ((JsonArray)page["items"]!).All(d => (int)d!["attemptCount"]! == 1),
            $"{orders} first attempts");
        return subscriptionId;
    }

    private static HashSet<string> DeliveryJobs<T>(JobList<T> jobs) where T : class =>
        [.. jobs.Where(j => JobOf(j.Value)?.Type == typeof(DeliveryJob)).Select(j => j.Key)];

    private static Job? JobOf(object? dto) => dto switch
    {
        SucceededJobDto succeeded => succeeded.Job,
        ScheduledJobDto scheduled => scheduled.Job,
        _ => null,
    };

    [Fact]
    public async Task The_reconciler_sends_due_deliveries_no_job_holds_after_a_restart()
    {
        await using var sink = await LocalSink.StartAsync();
        sink.Respond = async (_, context) => { context.Response.StatusCode = 503; await context.Response.WriteAsync("down"); };
        var dataDirectory = Path.Combine(Path.GetTempPath(), "webhook-studio-tests", Guid.NewGuid().ToString("N"));
        // Retries a minute after the first attempts, on a clock the test moves: Hangfire's scheduler (on the real clock)
        // does not reach them within the test.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        StudioFactory Studio() => new StudioFactory(dataDirectory).UseClock(clock)
            .With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Deliveries:RetrySchedule:0", "00:01:00")
            .With("Deliveries:ReconcileEvery", "00:00:01");

        int subscriptionId;
        using (var first = Studio())
        {
            first.DeleteDataOnDispose = false;
            subscriptionId = await FirstAttemptsAsync(first, sink, orders: 3);
        }

        // The jobs are lost (as when the process dies between a commit and its enqueue): only the rows say the retries
        // are due in a minute, and the reconciler finds them once they are.
        foreach (var file in Directory.GetFiles(dataDirectory, "jobs.db*"))
            File.Delete(file);
        sink.Respond = (_, context) => context.Response.WriteAsync("ok");
        var before = sink.Requests.Count;
        using var second = Studio();
        var again = await ForRoleAsync(second, "Admin");
        var reconciler = second.Services.GetRequiredService<DeliveryReconciler>();
        Assert.Equal(0, await reconciler.ReconcileAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        await reconciler.ReconcileAsync(CancellationToken.None);
        await Eventually.Until(() => again.GetJsonAsync($"{V1}/deliveries?subscriptionId={subscriptionId}&status=delivered"),
            page => ((JsonArray)page["items"]!).Count == 3, "all three delivered by the reconciler", TimeSpan.FromSeconds(20));
        Assert.All(sink.Requests.Skip(before).GroupBy(r => r.Header("webhook-id")), g => Assert.Single(g));
        Assert.Equal(3, sink.Requests.Skip(before).Count());
        StudioFactory.TryDelete(dataDirectory);
    }
}
