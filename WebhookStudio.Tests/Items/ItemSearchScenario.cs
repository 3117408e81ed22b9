using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Items;

/// <summary>
/// What the items search finds, the same on SQLite and PostgreSQL: text within titles, external ids and data values,
/// ignoring case, never a field name. Over GitHub's push sample, whose two commits become items.
/// </summary>
public static class ItemSearchScenario
{
    public const string FirstCommit = "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5";
    public const string SecondCommit = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    public static async Task AssertAsync(ApiTestClient api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var source = await api.CreateLiveSourceAsync("$.commits[*]", "id", "message", "GitHub pushes");
        Assert.Equal("processed", Outcome(await api.SendAndWaitAsync(source, SamplePayloads.Read("github-push.json"))));

        async Task<IReadOnlyList<string?>> FoundAsync(string text)
        {
            var list = await api.ListItemsAsync($"sourceId={Id(source)}&search={Uri.EscapeDataString(text)}");
            var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()).Order().ToList();
            Assert.Equal(ids.Count, list.GetProperty("total").GetInt32());
            return ids;
        }

        Assert.Equal([FirstCommit], await FoundAsync("retry SCHEDULE"));    // within the title
        Assert.Equal([FirstCommit], await FoundAsync("5c6ff8d0"));          // within the id
        Assert.Equal([SecondCommit], await FoundAsync("octo cat"));         // a value in the data: author.name
        Assert.Equal([SecondCommit], await FoundAsync("retry_tests"));      // an array element; _ is a character, not a wildcard
        Assert.Equal([FirstCommit, SecondCommit], await FoundAsync("retry"));
        Assert.Empty(await FoundAsync("author"));                           // a field name, in no value
        Assert.Empty(await FoundAsync("%"));
    }
}
