using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>
/// Deliveries over time, on a <see cref="FakeTimeProvider"/> with a retry schedule of 5 min, 30 min, then 2 h and no
/// jitter: a failed attempt's next one is due exactly one step later and is made when the clock gets there; a
/// deactivated subscription's buffered activities expire when the clock passes the buffer window.
/// </summary>
public sealed class RetryScheduleTests(SharedStudio shared) : DeliveryTestBase(shared, Configure)
{
    private static readonly TimeSpan[] Schedule = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>The studio's clock, moved by the tests; the reconciler's pass is a day apart, so every retry here comes from its scheduled job.</summary>
    private static void Configure(StudioFactory studio)
    {
        studio.UseClock(new FakeTimeProvider(DateTimeOffset.UtcNow))
            .With("Deliveries:ReconcileEvery", "1.00:00:00");
        for (var i = 0; i < Schedule.Length; i++)
            studio.With($"Deliveries:RetrySchedule:{i}", Schedule[i].ToString());
    }

    private FakeTimeProvider Clock => (FakeTimeProvider)Factory.Services.GetRequiredService<TimeProvider>();

    private ScheduledRetries Retries => new(Factory, Clock);

    [Fact]
    public async Task Failed_attempts_are_retried_on_the_schedule_with_the_same_webhook_id_until_delivered()
    {
        var subscriptionId = await SubscribeAsync();
        var calls = 0;
        Sink.Respond = async (_, context) =>
        {
            var failing = Interlocked.Increment(ref calls) <= 2;
            context.Response.StatusCode = failing ? 500 : 200;
            await context.Response.WriteAsync(failing ? "{\"message\":\"database down\"}" : "ok");
        };
        var start = Retries.UtcNow;
        await SendOrderAsync("B-1", "new");
        var id = await AfterAttemptsAsync(subscriptionId, 1);
        Assert.Equal(start + Schedule[0], await NextAttemptAtAsync(id));

        Assert.Equal([id], await Retries.AdvanceAsync(Schedule[0]));
        await AfterAttemptsAsync(subscriptionId, 2);
        Assert.Equal(start + Schedule[0] + Schedule[1], await NextAttemptAtAsync(id));

        Assert.Equal([id], await Retries.AdvanceAsync(Schedule[1]));
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "delivered"), "delivery after two failures"))[0]!;
        Assert.Equal(3, (int)delivery["attemptCount"]!);
        Assert.Single(Sink.Requests.Select(r => r.Header("webhook-id")).Distinct());
        var attempts = (JsonArray)(await DeliveryAsync(id))["attempts"]!;
        Assert.Equal([500, 500, 200], attempts.Select(a => (int)a!["responseStatus"]!));
        Assert.Equal("server_error", (string)attempts[0]!["failure"]!);
        Assert.Equal("The receiver had an error, 500 Internal Server Error: \"database down\"", (string)attempts[0]!["error"]!);
        Assert.Equal([start, start + Schedule[0], start + Schedule[0] + Schedule[1]], attempts.Select(a => (DateTime)a!["at"]!));
    }

    [Fact]
    public async Task Retry_After_of_a_503_sets_the_next_attempt_within_the_schedule()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 2 });
        // The schedule says 5 min; the receiver asks for an hour, which is within 5 min – 2 h.
        SinkAnswers(503, "busy", ("Retry-After", "3600"));
        var start = Retries.UtcNow;
        await SendOrderAsync("F-1", "new");
        var id = await AfterAttemptsAsync(subscriptionId, 1);
        Assert.Equal(start + TimeSpan.FromHours(1), await NextAttemptAtAsync(id));

        Assert.Empty(await Retries.AdvanceAsync(Schedule[0]));
        Assert.Single(Sink.Requests);
        Assert.Equal([id], await Retries.AdvanceAsync(TimeSpan.FromHours(1) - Schedule[0]));
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), "the second and last attempt");
        var attempts = (JsonArray)(await DeliveryAsync(id))["attempts"]!;
        Assert.Equal([start, start + TimeSpan.FromHours(1)], attempts.Select(a => (DateTime)a!["at"]!));
    }

    [Fact]
    public async Task After_max_attempts_the_delivery_is_failed_with_the_last_error_in_plain_words()
    {
        var subscriptionId = await SubscribeAsync(new { maxAttempts = 2 });
        SinkAnswers(422, "{\"error\":\"email is missing\"}");
        await SendOrderAsync("C-1", "new");
        var id = await AfterAttemptsAsync(subscriptionId, 1);
        Assert.Equal([id], await Retries.AdvanceAsync(Schedule[0]));
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "failed"), "the delivery to fail"))[0]!;
        Assert.Equal(2, (int)delivery["attemptCount"]!);
        Assert.Null(delivery["nextAttemptAt"]);
        Assert.Equal(422, (int)delivery["lastStatusCode"]!);
        Assert.Equal("client_error", (string)delivery["lastFailure"]!);
        Assert.Contains("refused the request with 422", (string)delivery["lastError"]!, StringComparison.Ordinal);
        Assert.Contains("email is missing", (string)delivery["lastError"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preserve_order_holds_back_only_the_failing_items_later_deliveries()
    {
        var subscriptionId = await SubscribeAsync(new { preserveOrder = true });
        var failuresLeft = 2;
        Sink.Respond = async (request, context) =>
        {
            var order = JsonNode.Parse(request.BodyText)!["item"]!["data"]!;
            if ((string)order["id"]! == "X" && Interlocked.Decrement(ref failuresLeft) >= 0)
                context.Response.StatusCode = 500;
            await context.Response.WriteAsync("ok");
        };
        await SendOrderAsync("X", "new");
        await AfterAttemptsAsync(subscriptionId, 1);
        await SendOrderAsync("X", "paid");
        await SendOrderAsync("Y", "new");

        // Y does not wait for X's retries: it is delivered while the clock stands still, X's update held back behind X.
        await WaitForDeliveriesAsync(subscriptionId, d => d.Count == 3 && d.Count(x => Status(x) == "delivered") == 1, "Y to be delivered");
        Assert.Equal([("X", "item.created"), ("Y", "item.created")], Sent());
        Assert.Single(await Retries.AdvanceAsync(Schedule[0]));
        await AfterAttemptsAsync(subscriptionId, 3);
        Assert.Single(await Retries.AdvanceAsync(Schedule[1]));
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 3, "delivered"), "every delivery");
        Assert.Equal([("X", "item.created"), ("Y", "item.created"), ("X", "item.created"), ("X", "item.created"), ("X", "item.updated")], Sent());

        List<(string, string)> Sent() =>
            [.. Sink.Requests.Select(r => JsonNode.Parse(r.BodyText)!).Select(b => ((string)b["item"]!["data"]!["id"]!, (string)b["event"]!))];
    }

    [Fact]
    public async Task Buffered_activities_expire_after_the_buffer_window()
    {
        var subscriptionId = await SubscribeAsync();
        await ExpectAsync(await Api.Http.PostAsJsonAsync($"{V1}/subscriptions/{subscriptionId}/deactivate", new { reason = "Receiver moving" }), HttpStatusCode.OK);
        await SendOrderAsync("9", "new");
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "buffered"), "the buffered activity");
        var reconciler = Factory.Services.GetRequiredService<DeliveryReconciler>();
        var window = new DeliveryOptions().BufferFor;

        Clock.Advance(window - TimeSpan.FromSeconds(1));
        await reconciler.ReconcileAsync(CancellationToken.None);
        await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "buffered"), "the activity to stay buffered within the window");
        Clock.Advance(TimeSpan.FromSeconds(2));
        await reconciler.ReconcileAsync(CancellationToken.None);
        var delivery = (await WaitForDeliveriesAsync(subscriptionId, d => All(d, 1, "expired"), "the activity to expire"))[0]!;
        Assert.Equal($"Buffered for longer than {window.TotalDays} days while the subscription was deactivated; not sent.", (string)delivery["lastError"]!);
        Assert.Empty(Sink.Requests);
    }

    /// <summary>Waits until the subscription's deliveries have had <paramref name="attempts"/> attempts in all; answers the oldest's id.</summary>
    private async Task<long> AfterAttemptsAsync(int subscriptionId, int attempts)
    {
        var deliveries = await WaitForDeliveriesAsync(subscriptionId, d => d.Sum(x => (int)x!["attemptCount"]!) == attempts, $"{attempts} attempts");
        return (long)deliveries[^1]!["id"]!;
    }

    private async Task<DateTime?> NextAttemptAtAsync(long id) => (DateTime?)(await DeliveryAsync(id))["delivery"]!["nextAttemptAt"];
}
