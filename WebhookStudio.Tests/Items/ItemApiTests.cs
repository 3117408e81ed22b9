using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Items;

/// <summary>/api/v1/items: list and search, one item with its history, erase.</summary>
public sealed class ItemApiTests(SharedStudio shared) : SharedStudioTests(shared)
{
    private const string FirstCommit = ItemSearchScenario.FirstCommit;
    private const string SecondCommit = ItemSearchScenario.SecondCommit;

    private Task<ApiTestClient> Editor() => ApiTestClient.ForRoleAsync(Factory, "Editor");

    private Task<ApiTestClient> Tester() => ApiTestClient.ForRoleAsync(Factory, "Tester");

    /// <summary>A GitHub source with its two commits as items, and a Stripe source with its invoice.</summary>
    private async Task<(ApiTestClient Editor, int GitHub, int Stripe)> TwoSourcesAsync()
    {
        var editor = await Editor();
        var github = await editor.CreateLiveSourceAsync("$.commits[*]", "id", "message", "GitHub pushes");
        var stripe = await editor.CreateLiveSourceAsync("$.data.object", "id", "customer_email", "Stripe invoices");
        Assert.Equal("processed", Outcome(await editor.SendAndWaitAsync(github, SamplePayloads.Read("github-push.json"))));
        Assert.Equal("processed", Outcome(await editor.SendAndWaitAsync(stripe, SamplePayloads.Read("stripe-invoice-paid.json"))));
        return (editor, Id(github), Id(stripe));
    }

    private static List<string?> ExternalIds(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()).ToList();

    [Fact]
    public async Task Items_are_listed_per_source_with_their_fields()
    {
        var (_, github, stripe) = await TwoSourcesAsync();
        var tester = await Tester();

        var all = await tester.ListItemsAsync("");
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(1, all.GetProperty("page").GetInt32());
        Assert.Equal(50, all.GetProperty("pageSize").GetInt32());

        var commits = await tester.ListItemsAsync($"sourceId={github}");
        Assert.Equal(2, commits.GetProperty("total").GetInt32());
        Assert.Equal([FirstCommit, SecondCommit], ExternalIds(commits).Order());
        var commit = commits.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("externalId").GetString() == FirstCommit);
        Assert.True(commit.GetProperty("id").GetInt64() > 0);
        Assert.Equal(github, commit.GetProperty("sourceId").GetInt32());
        Assert.Equal("Fix the retry schedule", commit.GetProperty("title").GetString());
        Assert.Equal("mona", commit.GetProperty("data").GetProperty("author").GetProperty("username").GetString());
        Assert.Equal("2026-11-20T10:12:45+01:00", commit.GetProperty("data").GetProperty("timestamp").GetString());
        Assert.Equal(1, commit.GetProperty("version").GetInt32());
        foreach (var time in new[] { "createdAt", "updatedAt" })
        {
            var text = commit.GetProperty(time).GetString()!;
            Assert.EndsWith("Z", text, StringComparison.Ordinal);
            Assert.InRange(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime(),
                DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        }

        var invoices = await tester.ListItemsAsync($"sourceId={stripe}");
        Assert.Equal(["in_1QxY2yAbCdEfGhIj"], ExternalIds(invoices));
        Assert.Equal("jenny.rosen@example.com", invoices.GetProperty("items")[0].GetProperty("title").GetString());

        var firstPage = await tester.ListItemsAsync("pageSize=2");
        var secondPage = await tester.ListItemsAsync("pageSize=2&page=2");
        Assert.Equal(3, secondPage.GetProperty("total").GetInt32());
        Assert.Equal(2, firstPage.GetProperty("items").GetArrayLength());
        Assert.Single(secondPage.GetProperty("items").EnumerateArray());
        Assert.Equal(3, ExternalIds(firstPage).Concat(ExternalIds(secondPage)).Distinct().Count());

        Assert.Equal(0, (await tester.ListItemsAsync("sourceId=4242")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Items_are_sorted_by_the_lowercase_sort_names()
    {
        var (editor, _, _) = await TwoSourcesAsync();

        Assert.Equal(["Add tests", "Fix the retry schedule", "jenny.rosen@example.com"],
            (await editor.ListItemsAsync("sort=title_asc")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal([FirstCommit, SecondCommit, "in_1QxY2yAbCdEfGhIj"], ExternalIds(await editor.ListItemsAsync("sort=external_id_asc")));
        // The Stripe invoice was processed last.
        Assert.Equal("in_1QxY2yAbCdEfGhIj", ExternalIds(await editor.ListItemsAsync("sort=updated_desc"))[0]);
        Assert.Equal("in_1QxY2yAbCdEfGhIj", ExternalIds(await editor.ListItemsAsync("sort=created_desc"))[0]);
        Assert.Equal("in_1QxY2yAbCdEfGhIj", ExternalIds(await editor.ListItemsAsync("sort=updated_asc"))[^1]);

        var message = await ExpectValidationErrorAsync(await editor.Http.GetAsync($"{V1}/items?sort=newest"), "sort");
        Assert.Contains("title_asc", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Items_are_found_by_text_within_titles_ids_and_data_values()
    {
        await ItemSearchScenario.AssertAsync(await Editor());

        // Across sources, and combined with the source filter.
        var (editor, github, stripe) = await TwoSourcesAsync();
        Assert.Equal(["in_1QxY2yAbCdEfGhIj"], ExternalIds(await editor.ListItemsAsync("search=jenny.rosen")));
        Assert.Equal([SecondCommit], ExternalIds(await editor.ListItemsAsync($"sourceId={github}&search={SecondCommit}")));
        Assert.Empty(ExternalIds(await editor.ListItemsAsync($"sourceId={stripe}&search=Fix")));
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Invalid_item_paging_is_400(string query, string field)
    {
        var tester = await Tester();
        await ExpectValidationErrorAsync(await tester.Http.GetAsync($"{V1}/items?{query}"), field);
    }

    [Fact]
    public async Task Items_need_a_key_and_an_unknown_item_is_404()
    {
        var (editor, github, _) = await TwoSourcesAsync();
        var itemId = (await editor.FindItemAsync(github, FirstCommit)).GetProperty("id").GetInt64();
        var anonymous = ApiTestClient.Anonymous(Factory).Http;

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{V1}/items")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{V1}/items/{itemId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"{V1}/items/{itemId}")).StatusCode);

        await ExpectProblemAsync(await editor.Http.GetAsync($"{V1}/items/987654"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await editor.Http.DeleteAsync($"{V1}/items/987654"), HttpStatusCode.NotFound);
        await editor.GetItemAsync(itemId);
    }

    [Fact]
    public async Task An_item_keeps_a_history_of_its_field_changes()
    {
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id", "name", "Contacts");
        var id = Id(source);

        var created = await editor.SendAndWaitAsync(source, """{"id":"c-1","name":"Ada","plan":"pro","seats":5,"address":{"city":"Paris","zip":"75001"}}""");
        var itemId = (await editor.FindItemAsync(id, "c-1")).GetProperty("id").GetInt64();
        var updated = await editor.SendAndWaitAsync(source, """{"id":"c-1","name":"Ada","plan":"enterprise","seats":5.0,"address":{"city":"Lyon","zip":"75001"},"vip":true}""");
        Assert.Equal(1, updated.GetProperty("payload").GetProperty("updated").GetInt32());

        var item = await (await Tester()).GetItemAsync(itemId);
        Assert.Equal(id, item.GetProperty("sourceId").GetInt32());
        Assert.Equal("c-1", item.GetProperty("externalId").GetString());
        Assert.Equal("Ada", item.GetProperty("title").GetString());
        Assert.Equal("enterprise", item.GetProperty("data").GetProperty("plan").GetString());
        Assert.Equal(2, item.GetProperty("version").GetInt32());

        var changes = item.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(2, changes.Count);
        // Newest first: the update, then the creation.
        var update = changes[0];
        Assert.Equal("updated", update.GetProperty("kind").GetString());
        Assert.Equal(updated.GetProperty("payload").GetProperty("id").GetInt64(), update.GetProperty("payloadId").GetInt64());
        Assert.EndsWith("Z", update.GetProperty("at").GetString(), StringComparison.Ordinal);
        AssertSameJson("""
            [{"path":"address.city","old":"Paris","new":"Lyon"},
             {"path":"plan","old":"pro","new":"enterprise"},
             {"path":"vip","old":null,"new":true}]
            """, update.GetProperty("fields"));

        var creation = changes[1];
        Assert.Equal("created", creation.GetProperty("kind").GetString());
        Assert.Equal(created.GetProperty("payload").GetProperty("id").GetInt64(), creation.GetProperty("payloadId").GetInt64());
        Assert.EndsWith("Z", creation.GetProperty("at").GetString(), StringComparison.Ordinal);
        var createdFields = creation.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["address", "id", "name", "plan", "seats"], createdFields.Select(f => f.GetProperty("path").GetString()));
        Assert.All(createdFields, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("old").ValueKind));
        Assert.Equal("Paris", createdFields[0].GetProperty("new").GetProperty("city").GetString());
        Assert.True(update.GetProperty("id").GetInt64() > creation.GetProperty("id").GetInt64());

        // The same data again changes nothing and records nothing.
        var again = await editor.SendAndWaitAsync(source, """{"id":"c-1","name":"Ada","plan":"enterprise","seats":5,"address":{"city":"Lyon","zip":"75001"},"vip":true}""");
        Assert.Equal("processed", Outcome(again));
        Assert.Equal(1, again.GetProperty("payload").GetProperty("unchanged").GetInt32());
        Assert.Equal(0, again.GetProperty("payload").GetProperty("updated").GetInt32());
        var unchanged = await editor.GetItemAsync(itemId);
        Assert.Equal(2, unchanged.GetProperty("changes").GetArrayLength());
        Assert.Equal(2, unchanged.GetProperty("version").GetInt32());
        Assert.Equal(item.GetProperty("updatedAt").GetString(), unchanged.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task A_new_entity_source_never_overwrites_an_item()
    {
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id", "name");
        await editor.PatchSourceAsync(Id(source), new { fetchMode = "new" });

        await editor.SendAndWaitAsync(source, """{"id":"n-1","name":"First"}""");
        var second = await editor.SendAndWaitAsync(source, """{"id":"n-1","name":"Second"}""");

        Assert.Equal("processed", Outcome(second));
        Assert.Equal(0, second.GetProperty("payload").GetProperty("updated").GetInt32());
        var item = await editor.GetItemAsync((await editor.FindItemAsync(Id(source), "n-1")).GetProperty("id").GetInt64());
        Assert.Equal("First", item.GetProperty("title").GetString());
        Assert.Single(item.GetProperty("changes").EnumerateArray());
    }

    [Fact]
    public async Task Erasing_an_item_removes_it_its_history_and_its_payloads()
    {
        var editor = await Editor();
        var source = await editor.CreateLiveSourceAsync("$", "id", "name", "Contacts");
        var id = Id(source);
        var first = await editor.SendAndWaitAsync(source, """{"id":"erase-me","name":"Grace","email":"grace@example.com"}""");
        var second = await editor.SendAndWaitAsync(source, """{"id":"erase-me","name":"Grace H.","email":"grace@example.com"}""");
        // An identical re-send changes nothing, yet it carries the same personal data and must go too.
        var resent = await editor.SendAndWaitAsync(source, """{"id":"erase-me","name":"Grace H.","email":"grace@example.com"}""");
        var kept = await editor.SendAndWaitAsync(source, """{"id":"keep-me","name":"Alan"}""");
        var itemId = (await editor.FindItemAsync(id, "erase-me")).GetProperty("id").GetInt64();
        var keptId = (await editor.FindItemAsync(id, "keep-me")).GetProperty("id").GetInt64();

        var tester = await Tester();
        await ExpectProblemAsync(await tester.Http.DeleteAsync($"{V1}/items/{itemId}"), HttpStatusCode.Forbidden);
        Assert.Equal(2, (await tester.GetItemAsync(itemId)).GetProperty("changes").GetArrayLength());

        var erased = await editor.Http.DeleteAsync($"{V1}/items/{itemId}");
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        await ExpectProblemAsync(await editor.Http.GetAsync($"{V1}/items/{itemId}"), HttpStatusCode.NotFound);
        Assert.Equal(["keep-me"], ExternalIds(await editor.ListItemsAsync($"sourceId={id}")));
        Assert.Empty(ExternalIds(await editor.ListItemsAsync("search=erase-me")));
        foreach (var payload in new[] { first, second, resent })
            await ExpectProblemAsync(await editor.Http.GetAsync($"{V1}/sources/{id}/payloads/{payload.GetProperty("payload").GetProperty("id").GetInt64()}"), HttpStatusCode.NotFound);
        var payloads = await ExpectAsync(await editor.Http.GetAsync($"{V1}/sources/{id}/payloads"), HttpStatusCode.OK);
        Assert.Equal([kept.GetProperty("payload").GetProperty("id").GetInt64()], payloads.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));

        // Only that item went: the other one, its history and its payload stay.
        Assert.Single((await editor.GetItemAsync(keptId)).GetProperty("changes").EnumerateArray());
        await editor.GetPayloadAsync(id, kept.GetProperty("payload").GetProperty("id").GetInt64());
        await ExpectProblemAsync(await editor.Http.DeleteAsync($"{V1}/items/{itemId}"), HttpStatusCode.NotFound);
    }

    private static void AssertSameJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())),
            $"Expected {expected}, got {actual.GetRawText()}");
}
