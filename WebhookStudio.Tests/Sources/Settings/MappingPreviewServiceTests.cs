using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Settings;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Settings;

/// <summary>Coverage of a draft mapping over a source's stored payloads, as the mapping editor computes it.</summary>
public sealed class MappingPreviewServiceTests(SharedStudio shared) : ApiTestBase(shared)
{
    private MappingPreviewService Previews => Factory.Services.GetRequiredService<MappingPreviewService>();

    [Fact]
    public async Task Coverage_counts_the_payloads_whose_entities_all_have_an_id_and_names_the_others()
    {
        var source = await Api.SetUpSourceAsync("Stripe", "stripe");
        var stripe = SamplePayloads.Read("stripe-invoice-paid.json");
        var first = await PostAsync(source, stripe);
        var second = await PostAsync(source, stripe.Replace("in_1QxY2yAbCdEfGhIj", "in_second", StringComparison.Ordinal));
        var push = await PostAsync(source, SamplePayloads.Read("github-push.json"));
        var noId = await PostAsync(source, stripe.Replace("\"id\": \"in_1QxY2yAbCdEfGhIj\",", "", StringComparison.Ordinal));

        var session = await Previews.OpenAsync(source.Id);
        Assert.Equal([noId, push, second, first], session.Payloads.Select(p => p.Id));

        var coverage = session.Evaluate(new EntityMapping("$.data.object", "$.id", "$.customer_name"));
        Assert.Equal(4, coverage.Total);
        Assert.Equal(2, coverage.IdFound);
        Assert.Equal("50% (2 of 4)", MappingCoverage.Describe(coverage.IdFound, coverage.Total));
        Assert.Equal(3, coverage.TitleFound);
        Assert.Equal([noId, push], coverage.MissingId.Select(p => p.PayloadId));
        Assert.Equal("No entity at $.data.object", coverage.For(push)!.Problem);
        Assert.Equal(1, coverage.For(noId)!.Entities);
        Assert.Equal(0, coverage.For(noId)!.WithId);
    }

    [Fact]
    public async Task Array_paths_count_the_entities_of_each_payload_before_an_id_is_chosen()
    {
        var source = await Api.SetUpSourceAsync("GitHub", "github");
        var push = await PostAsync(source, SamplePayloads.Read("github-push.json"));

        var session = await Previews.OpenAsync(source.Id);
        var coverage = session.Evaluate(new EntityMapping("$.commits[*]"));

        Assert.False(coverage.HasIdPath);
        Assert.Equal(2, coverage.For(push)!.Entities);
        var (entities, error) = MappingSession.Extract(new EntityMapping("$.commits[*]", "", "$.message"), session.Find(push)!.Document!);
        Assert.Null(error);
        Assert.All(entities, e => Assert.Equal("No unique id chosen yet", e.Error));
        Assert.Contains(entities, e => e.Title == "Fix the retry schedule");

        var mapped = session.Evaluate(new EntityMapping("$.commits[*]", "$.id", "$.message"));
        Assert.Equal(1, mapped.IdFound);
        Assert.Equal(2, mapped.For(push)!.WithId);
    }

    [Fact]
    public async Task Form_posts_are_read_as_the_json_the_mapping_works_on()
    {
        var source = await Api.SetUpSourceAsync("Mailchimp", "mailchimp");
        var response = await Api.PostHookAsync(source.Token, SamplePayloads.Read("mailchimp-subscribe.form"), "application/x-www-form-urlencoded");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        var session = await Previews.OpenAsync(source.Id);
        var sample = Assert.Single(session.Payloads);
        Assert.True(sample.IsForm);
        Assert.Equal("Ada", (string?)sample.Document!.SelectToken("$.data.merges.FNAME"));
        var coverage = session.Evaluate(new EntityMapping("$.data", "$.id", "$.merges.EMAIL"));
        Assert.Equal(1, coverage.IdFound);
        Assert.Equal(1, coverage.TitleFound);
        Assert.Contains("$.data.merges.EMAIL", session.Fields(sample.Id));
    }

    [Fact]
    public async Task A_session_holds_the_most_recent_payloads_up_to_the_limit()
    {
        var source = await Api.SetUpSourceAsync("Many");
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
            ids.Add(await PostAsync(source, $"{{\"id\": {i}}}"));

        var session = await Previews.OpenAsync(source.Id, limit: 3);
        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), session.Payloads.Select(p => p.Id));
        Assert.Equal("100% (3 of 3)", MappingCoverage.Describe(session.Evaluate(new EntityMapping("$", "$.id")).IdFound, 3));
    }

    [Fact]
    public async Task An_invalid_entity_path_is_a_problem_of_every_payload_not_an_exception()
    {
        var source = await Api.SetUpSourceAsync("Broken path");
        await PostAsync(source, "{\"id\": 1}");
        var session = await Previews.OpenAsync(source.Id);

        var coverage = session.Evaluate(new EntityMapping("$.data[", "$.id"));
        Assert.Equal(0, coverage.IdFound);
        Assert.StartsWith("Invalid JSONPath", coverage.Payloads.Single().Problem, StringComparison.Ordinal);
    }

    private async Task<long> PostAsync(ApiTestClient.CreatedSource source, string json)
    {
        var response = await Api.PostHookAsync(source.Token, json);
        var accepted = await ApiTestClient.ExpectAsync(response, System.Net.HttpStatusCode.Accepted);
        return accepted.GetProperty("payloadId").GetInt64();
    }
}
