using Bunit;
using MudBlazor.Services;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Settings;

namespace WebhookStudio.Tests.Components;

/// <summary>The coverage and entity preview beside the mapping fields, over payloads parsed as the service parses them.</summary>
public sealed class MappingPreviewTests : BunitContext, IAsyncLifetime
{
    private static readonly EntityMapping Commits = new("$.commits[*]", "$.id", "$.message");

    public MappingPreviewTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    // Four pushes: two commits, three commits, a commit without an id, and no commit at all.
    private static MappingSession Pushes()
    {
        var push = JObject.Parse(SamplePayloads.Read("github-push.json"));
        var three = (JObject)push.DeepClone();
        ((JArray)three["commits"]!).Add(new JObject { ["id"] = "c3", ["message"] = "Third" });
        var missing = (JObject)push.DeepClone();
        ((JObject)missing["commits"]![1]!).Remove("id");
        var empty = (JObject)push.DeepClone();
        empty["commits"] = new JArray();
        JToken[] documents = [empty, missing, three, push];
        return new MappingSession([.. documents.Select((d, i) => new PayloadSample(4 - i, DateTime.UtcNow, PayloadOutcome.Stored, "application/json", 100, d, null))]);
    }

    [Fact]
    public void Coverage_says_how_many_payloads_have_an_id_and_the_failing_ones_are_one_click_away()
    {
        var session = Pushes();
        long? picked = null;
        var preview = Render<MappingPreview>(p => p.Add(m => m.Coverage, session.Evaluate(Commits)).Add(m => m.OnSelectPayload, id => picked = id));

        Assert.Equal("Id found in 50% (2 of 4)", Normalize(preview.Find("[data-testid=id-coverage]").TextContent));
        Assert.Equal("Title found in 75% (3 of 4)", Normalize(preview.Find("[data-testid=title-coverage]").TextContent));
        var failing = preview.Find("[data-testid=missing-id]");
        Assert.Contains("#4", failing.TextContent, StringComparison.Ordinal);
        Assert.Contains("#3", failing.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("#2", failing.TextContent, StringComparison.Ordinal);

        failing.QuerySelectorAll(".mud-chip").Single(c => c.TextContent.Contains("#3", StringComparison.Ordinal)).Click();
        Assert.Equal(3, picked);
    }

    [Fact]
    public void Entities_per_payload_are_counted_and_a_missing_id_is_marked()
    {
        var session = Pushes();
        var (entities, error) = MappingSession.Extract(Commits, session.Find(3)!.Document!);
        var preview = Render<MappingPreview>(p => p.Add(m => m.Coverage, session.Evaluate(Commits))
            .Add(m => m.SelectedPayloadId, 3L).Add(m => m.Entities, entities).Add(m => m.EntityError, error));

        Assert.Equal("2–3 entities per payload (7 in all); 1 payload without any", Normalize(preview.Find("[data-testid=entity-counts]").TextContent));
        Assert.Equal("2 entities", preview.Find("[data-testid=entities-yield]").TextContent);
        var rows = preview.FindAll("[data-testid=entity-row]");
        Assert.Equal(2, rows.Count);
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=missing-id-marker]"));
        Assert.Contains("59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Single(rows[1].QuerySelectorAll("[data-testid=missing-id-marker]"));
        Assert.Contains("No value at id path '$.id'", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("entity-missing-id", rows[1].ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_id_path_the_preview_asks_for_one_instead_of_reporting_zero()
    {
        var session = Pushes();
        var preview = Render<MappingPreview>(p => p.Add(m => m.Coverage, session.Evaluate(new EntityMapping("$.commits[*]"))));

        Assert.Contains("Choose the unique id", preview.Find("[data-testid=id-coverage]").TextContent, StringComparison.Ordinal);
        Assert.Empty(preview.FindAll("[data-testid=missing-id]"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
