using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Tests.Infrastructure;
using FilterOperator = WebhookStudio.Features.Sources.Filtering.FilterOperator;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Components.Conditions;

/// <summary>The panel with the real backtest over payloads received by a running studio.</summary>
public sealed class FilterBacktestPanelTests : BunitContext, IAsyncLifetime
{
    private static readonly ConditionGroup InvoicePaid = ConditionGroup.All(new Condition("type", FilterOperator.Equals, "invoice.paid"));

    private readonly StudioFactory factory = new();
    private ApiTestClient api = default!;

    public FilterBacktestPanelTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_ => factory.Services.GetRequiredService<FilterBacktest>());
        Services.AddSingleton(_ => factory.Services.GetRequiredService<EventHub<StudioEvent>>());
    }

    public async Task InitializeAsync() => api = await ApiTestClient.ForRoleAsync(factory, "Admin");

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await factory.DisposeAsync();
    }

    private async Task<ApiTestClient.CreatedSource> StripeSourceAsync()
    {
        var source = await api.SetUpSourceAsync("Stripe", "stripe");
        var paid = SamplePayloads.Read("stripe-invoice-paid.json");
        await api.PostHookAsync(source.Token, paid);
        await api.PostHookAsync(source.Token, paid.Replace("\"invoice.paid\"", "\"invoice.created\"", StringComparison.Ordinal));
        await api.SettledPayloadsAsync(source.Id);
        return source;
    }

    private IRenderedComponent<FilterBacktestPanel> RenderPanel(int sourceId, ConditionGroup? filter) =>
        Render<FilterBacktestPanel>(p => p.Add(x => x.SourceId, sourceId).Add(x => x.Filter, filter).Add(x => x.Debounce, TimeSpan.FromMilliseconds(20)));

    private static string Headline(IRenderedComponent<FilterBacktestPanel> cut) => cut.Find("[data-testid=backtest-headline]").TextContent.Trim();

    [Fact]
    public async Task Each_payload_is_marked_processed_or_filtered_with_the_condition_in_words_and_the_total()
    {
        var source = await StripeSourceAsync();

        var cut = RenderPanel(source.Id, InvoicePaid);

        cut.WaitForAssertion(() => Assert.Equal("Would process 1 of the last 2 payloads", Headline(cut)), TimeSpan.FromSeconds(10));
        Assert.Equal(["filtered: $.type equals \"invoice.paid\" — was \"invoice.created\"", "processed"],
            cut.FindAll("[data-testid=backtest-verdict]").Select(v => v.TextContent.Trim()));
        Assert.Equal(["filtered", "processed"], cut.FindAll("[data-testid=backtest-row]").Select(r => r.GetAttribute("data-verdict")));
    }

    [Fact]
    public async Task It_follows_the_filter_as_it_is_edited_and_the_payloads_as_they_arrive()
    {
        var source = await StripeSourceAsync();
        var cut = RenderPanel(source.Id, null);
        cut.WaitForAssertion(() => Assert.Equal("All 2 payloads would be processed", Headline(cut)), TimeSpan.FromSeconds(10));

        cut.Render(p => p.Add(x => x.Filter, ConditionGroup.All(new Condition("type", FilterOperator.Equals, "invoice.voided"))));
        cut.WaitForAssertion(() => Assert.Equal("Would process 0 of the last 2 payloads", Headline(cut)), TimeSpan.FromSeconds(10));

        // A condition being typed is left out, and the panel says so.
        cut.Render(p => p.Add(x => x.Filter, ConditionGroup.All(InvoicePaid.Children[0], new Condition("$.livemode", FilterOperator.Equals))));
        cut.WaitForAssertion(() => Assert.Equal("Would process 1 of the last 2 payloads", Headline(cut)), TimeSpan.FromSeconds(10));
        Assert.Contains("1 condition is not filled in yet", cut.Find("[data-testid=backtest-ignored]").TextContent, StringComparison.Ordinal);

        await api.PostHookAsync(source.Token, SamplePayloads.Read("stripe-invoice-paid.json"));
        cut.WaitForAssertion(() => Assert.Equal("Would process 2 of the last 3 payloads", Headline(cut)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_source_without_payloads_says_what_will_happen()
    {
        var source = await api.SetUpSourceAsync("New");

        var cut = RenderPanel(source.Id, InvoicePaid);

        cut.WaitForAssertion(() => Assert.Contains("No payloads to test against yet", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }
}
