using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Pipeline;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Filtering;

/// <summary>Backtests over payloads really received and stored, as the editor runs them.</summary>
public sealed class FilterBacktestTests(SharedStudio shared) : ApiTestBase(shared)
{
    private static readonly ConditionGroup InvoicePaid = ConditionGroup.All(new Condition("$.type", FilterOperator.Equals, "invoice.paid"));

    private FilterBacktest Backtest => Factory.Services.GetRequiredService<FilterBacktest>();

    /// <summary>A Stripe source (not live: payloads are stored only) with a paid invoice, a created one, a Zendesk event and a duplicate.</summary>
    private async Task<(int SourceId, long Paid, long Created, long Zendesk)> ReceiveSamplesAsync()
    {
        var source = await Api.SetUpSourceAsync("Stripe", "stripe", new { dedupKey = "$.id" });
        var paid = SamplePayloads.Read("stripe-invoice-paid.json");
        var created = paid.Replace("\"invoice.paid\"", "\"invoice.created\"", StringComparison.Ordinal)
                          .Replace("evt_1QxY2zAbCdEfGhIjKlMnOpQr", "evt_created", StringComparison.Ordinal);
        var ids = new List<long>();
        foreach (var body in new[] { paid, created, SamplePayloads.Read("zendesk-ticket-updated.json") })
            ids.Add(await Api.SendAcceptedAsync(await Api.GetSourceAsync(source.Id), body));
        // The same event again: stored as a duplicate, which the pipeline never processes, so the backtest skips it.
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, paid)).StatusCode);
        var stored = await Api.SettledPayloadsAsync(source.Id);
        Assert.Single(stored, p => (string)p!["outcome"]! == "duplicate");
        return (source.Id, ids[0], ids[1], ids[2]);
    }

    [Fact]
    public async Task A_filter_is_tested_on_every_stored_payload_but_duplicates_with_the_reason_of_each_filtered_one()
    {
        var (sourceId, paid, created, zendesk) = await ReceiveSamplesAsync();

        var result = await Backtest.RunAsync(sourceId, InvoicePaid);

        Assert.Equal(3, result.Total);
        Assert.Equal(1, result.Processed);
        Assert.Equal(2, result.Filtered);
        Assert.Equal([zendesk, created, paid], result.Rows.Select(r => r.PayloadId));
        Assert.Equal(BacktestVerdict.Processed, result.Rows.Single(r => r.PayloadId == paid).Verdict);
        Assert.Equal("$.type equals \"invoice.paid\" — was \"invoice.created\"", result.Rows.Single(r => r.PayloadId == created).Reason);
        Assert.Equal("$.type equals \"invoice.paid\" — was \"zen:event-type:ticket.status_changed\"", result.Rows.Single(r => r.PayloadId == zendesk).Reason);
    }

    [Fact]
    public async Task The_reason_names_the_condition_that_failed_inside_nested_groups()
    {
        var (sourceId, paid, created, _) = await ReceiveSamplesAsync();
        var filter = ConditionGroup.All(
            new Condition("$.object", FilterOperator.Equals, "event"),
            ConditionGroup.Any(
                new Condition("$.data.object.amount_paid", FilterOperator.GreaterThan, "1000"),
                new Condition("$.type", FilterOperator.In, values: ["invoice.created", "invoice.voided"])));

        var result = await Backtest.RunAsync(sourceId, filter);

        Assert.Equal(2, result.Processed);
        Assert.Contains(result.Rows, r => r.PayloadId == paid && r.Verdict == BacktestVerdict.Processed);
        Assert.Contains(result.Rows, r => r.PayloadId == created && r.Verdict == BacktestVerdict.Processed);
        var zendesk = Assert.Single(result.Rows, r => r.Verdict == BacktestVerdict.Filtered);
        Assert.Equal("$.object equals \"event\" — not present", zendesk.Reason);
    }

    [Fact]
    public async Task Without_a_filter_all_are_processed_and_unfinished_conditions_are_left_out_and_counted()
    {
        var (sourceId, _, _, _) = await ReceiveSamplesAsync();

        var all = await Backtest.RunAsync(sourceId, null);
        Assert.Equal(3, all.Processed);
        Assert.Null(all.EffectiveFilter);

        var unfinished = ConditionGroup.All(
            InvoicePaid.Children[0],
            new Condition("", FilterOperator.Equals),
            ConditionGroup.Any(new Condition("$.livemode", FilterOperator.In, values: [])));
        var result = await Backtest.RunAsync(sourceId, unfinished);
        Assert.Equal(2, result.IgnoredConditions);
        Assert.Equal(InvoicePaid, result.EffectiveFilter);
        Assert.Equal(1, result.Processed);

        var onlyUnfinished = await Backtest.RunAsync(sourceId, ConditionGroup.All(new Condition("$.type", FilterOperator.Equals)));
        Assert.Null(onlyUnfinished.EffectiveFilter);
        Assert.Equal(3, onlyUnfinished.Processed);
    }

    [Fact]
    public async Task Bodies_are_parsed_once_and_payloads_that_arrive_while_editing_are_included()
    {
        var (sourceId, paid, _, _) = await ReceiveSamplesAsync();
        var documents = Factory.Services.GetRequiredService<RecentPayloadDocuments>();

        var first = await documents.GetAsync(sourceId);
        var second = await documents.GetAsync(sourceId);
        Assert.Same(first.Single(p => p.Id == paid).Document, second.Single(p => p.Id == paid).Document);

        var source = await Api.GetSourceAsync(sourceId);
        var late = await Api.SendAcceptedAsync(source, SamplePayloads.Read("stripe-invoice-paid.json").Replace("evt_1QxY2zAbCdEfGhIjKlMnOpQr", "evt_late", StringComparison.Ordinal));
        var result = await Backtest.RunAsync(sourceId, InvoicePaid);
        Assert.Equal(4, result.Total);
        Assert.Equal(late, result.Rows[0].PayloadId);
        Assert.Equal(2, result.Processed);
    }

    [Fact]
    public async Task Only_the_last_500_payloads_are_tested()
    {
        var source = await Api.SetUpSourceAsync("Busy");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, """{"old":true}""")).StatusCode);
        var posts = Enumerable.Range(0, 500).Select(i => Api.PostHookAsync(source.Token, $$"""{"n":{{i}}}"""));
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        var result = await Backtest.RunAsync(source.Id, ConditionGroup.Any(
            new Condition("old", FilterOperator.Exists), new Condition("n", FilterOperator.LessThan, "100")));

        Assert.Equal(FilterBacktest.PayloadCount, result.Total);
        Assert.True(result.Rows.Zip(result.Rows.Skip(1)).All(pair => pair.First.PayloadId > pair.Second.PayloadId), "newest first");
        Assert.Equal(100, result.Processed);
        Assert.Equal(400, result.Filtered);
    }
}
