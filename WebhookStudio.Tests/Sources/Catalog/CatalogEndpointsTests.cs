using System.Net;
using System.Text.Json;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Sources.Catalog;

/// <summary><c>GET /api/v1/apps</c>: each app with its profile, as a client that sets up sources by API needs it.</summary>
public sealed class CatalogEndpointsTests(SharedStudio shared) : ApiTestBase(shared)
{
    private async Task<IReadOnlyList<JsonElement>> AppsAsync(string query = "") =>
        [.. (await ExpectAsync(await Api.Http.GetAsync($"{V1}/apps{query}"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    private static string? Text(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetString();

    [Fact]
    public async Task Every_app_comes_with_its_events_where_to_paste_handshake_verification_and_suggested_mappings()
    {
        var apps = await AppsAsync();
        Assert.Equal(AppCatalog.Apps.Select(a => a.Key), apps.Select(a => a.GetProperty("key").GetString()));
        foreach (var (app, json) in AppCatalog.Apps.Zip(apps))
        {
            var profile = app.Profile;
            Assert.True(json.GetProperty("hasSample").GetBoolean(), app.Key);
            Assert.Equal(profile.Events, json.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(profile.WhereToPaste, Text(json, "whereToPaste"));
            Assert.Equal(profile.Handshake, Text(json, "handshake"));

            var verification = json.GetProperty("verification");
            if (profile.Verification is null)
                Assert.Equal(JsonValueKind.Null, verification.ValueKind);
            else
            {
                Assert.Equal(profile.Verification.Kind, Text(verification, "kind"));
                Assert.Equal(profile.Verification.SecretName, Text(verification, "secretName"));
                Assert.Equal(profile.Verification.WhereToFind, Text(verification, "whereToFind"));
                Assert.Equal(profile.Verification.DocsUrl, Text(verification, "docsUrl"));
            }

            var mappings = json.GetProperty("suggestedMappings").EnumerateArray().ToList();
            Assert.Equal(profile.Mappings.Count, mappings.Count);
            foreach (var (expected, actual) in profile.Mappings.Zip(mappings))
            {
                Assert.Equal(expected.For, Text(actual, "for"));
                Assert.Equal(expected.EntityPath, Text(actual, "entityPath"));
                Assert.Equal(expected.IdPath, Text(actual, "idPath"));
                Assert.Equal(expected.TitlePath, Text(actual, "titlePath"));
            }
        }
    }

    [Fact]
    public async Task Slack_tells_its_handshake_and_where_its_signing_secret_is_and_github_offers_one_mapping_per_event()
    {
        var slack = Assert.Single(await AppsAsync("?search=slack"));
        Assert.Contains("url_verification", Text(slack, "handshake"), StringComparison.Ordinal);
        Assert.Contains("Event Subscriptions", Text(slack, "whereToPaste"), StringComparison.Ordinal);
        Assert.Equal("slack", Text(slack.GetProperty("verification"), "kind"));
        Assert.Contains("Signing Secret", Text(slack.GetProperty("verification"), "whereToFind"), StringComparison.Ordinal);

        var github = (await AppsAsync("?search=github")).Single(a => Text(a, "key") == "github");
        Assert.Equal(["push", "issues"], github.GetProperty("suggestedMappings").EnumerateArray().Select(m => Text(m, "for")));

        var meta = Assert.Single(await AppsAsync("?search=whatsapp"));
        Assert.Equal("meta", Text(meta, "key"));
    }

    [Fact]
    public async Task A_suggested_mapping_from_the_api_turns_the_apps_sample_into_an_item()
    {
        var zoom = Assert.Single(await AppsAsync("?search=zoom"));
        var mapping = zoom.GetProperty("suggestedMappings")[0];
        var source = await Api.SetUpSourceAsync("Zoom meetings", "zoom", new
        {
            entityPath = Text(mapping, "entityPath"),
            idPath = Text(mapping, "idPath"),
            titlePath = Text(mapping, "titlePath"),
            liveStream = true,
        });

        var sent = await ExpectAsync(await Api.Http.PostAsync($"{V1}/sources/{source.Id}/sample", null), HttpStatusCode.OK);
        Assert.Equal(AppCatalog.Find("zoom")!.SampleFile, sent.GetProperty("sample").GetString());

        var payloads = await Api.SettledPayloadsAsync(source.Id);
        Assert.Equal("processed", (string)payloads.Single()!["outcome"]!);
        var item = (await Api.ItemsAsync(source.Id)).Single()!;
        var sample = JsonDocument.Parse(SamplePayloads.Read("zoom-meeting-started.json")).RootElement.GetProperty("payload").GetProperty("object");
        Assert.Equal(sample.GetProperty("uuid").GetString(), (string)item["externalId"]!);
        Assert.Equal(sample.GetProperty("topic").GetString(), (string)item["title"]!);
    }
}
