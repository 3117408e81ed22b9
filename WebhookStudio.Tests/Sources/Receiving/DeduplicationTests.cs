using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Receiving;

public sealed class DeduplicationTests(SharedStudio shared) : ApiTestBase(shared)
{

    [Fact]
    public async Task A_repeated_delivery_header_is_stored_answered_202_and_not_processed_twice()
    {
        var source = await Api.SetUpSourceAsync("GitHub", "github", new { entityPath = "$.commits[*]", idPath = "id", titlePath = "message", liveStream = true, dedupKey = "X-GitHub-Delivery" });
        var push = SamplePayloads.Read("github-push.json");
        var headers = new Dictionary<string, string> { ["X-GitHub-Delivery"] = "d-1" };

        var first = await Api.PostHookAsync(source.Token, push, headers: headers);
        var again = await Api.PostHookAsync(source.Token, push, headers: headers);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payloadId").GetInt64();

        var payloads = await Api.SettledPayloadsAsync(source.Id);
        var duplicate = payloads.Single(p => (string)p!["outcome"]! == "duplicate")!;
        Assert.Equal(firstId, (long)duplicate["duplicateOf"]!);
        Assert.Contains($"#{firstId}", (string)duplicate["reason"]!, StringComparison.Ordinal);
        Assert.Single(payloads, p => (string)p!["outcome"]! == "processed");

        var other = await Api.PostHookAsync(source.Token, push, headers: new Dictionary<string, string> { ["X-GitHub-Delivery"] = "d-2" });
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(2, (await Api.SettledPayloadsAsync(source.Id)).Count(p => (string)p!["outcome"]! == "processed"));
    }

    [Fact]
    public async Task Concurrent_copies_with_a_jsonpath_key_are_marked_duplicate_exactly_once_each()
    {
        var source = await Api.SetUpSourceAsync("Events", patch: new { idPath = "id", liveStream = true, dedupKey = "$.event_id" });
        var posts = Enumerable.Range(0, 20).Select(i => Api.PostHookAsync(source.Token, $$"""{"event_id":"evt_{{i % 5}}","id":"{{i}}"}"""));
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal(5, payloads.Count(p => (string)p!["outcome"]! == "processed"));
        Assert.Equal(15, payloads.Count(p => (string)p!["outcome"]! == "duplicate"));
    }
}
