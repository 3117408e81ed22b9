using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Api;

/// <summary>Errors about a user's JSON and filters say what is wrong with it, in words about the data, not about the code.</summary>
public sealed class WordsForPeopleTests(SharedStudio shared) : ApiTestBase(shared)
{
    [Fact]
    public async Task A_malformed_payload_a_broken_template_and_a_filtered_payload_are_explained_in_plain_words()
    {
        var source = await Api.SetUpSourceAsync("Shop orders", "shopify",
            new { idPath = "$.id", liveStream = true, filter = new { all = new[] { new { path = "$.total", op = "greater_than", value = "100" } } } });

        var refused = await Api.PostHookAsync(source.Token, """{"id": 1,}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid JSON at line 1, position 10: there is a comma before the closing }; remove it", problem.GetProperty("detail").GetString());

        var template = await ExpectValidationErrorAsync(await Api.PostSubscriptionAsync(new
        {
            app = "crm", @event = "item.created", url = "https://crm.example.com/hooks", bodyFormat = "json", bodyTemplate = "{\"id\": {{ item.id }},}",
        }), "bodyTemplate");
        Assert.Contains("there is a comma before the closing }; remove it", template, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", template, StringComparison.Ordinal);

        var filtered = await Api.SendAndWaitAsync(await Api.GetSourceAsync(source.Id), """{"id": "1007", "total": 42}""");
        Assert.Equal("filtered", Outcome(filtered));
        Assert.Equal("$.total greater than \"100\" — was 42", filtered.GetProperty("payload").GetProperty("reason").GetString());
    }
}
