using Bunit;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>The figures a page opens with agree with what it lists.</summary>
public sealed class CountsTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Editor)
{
    [Fact]
    public async Task The_payloads_tab_opens_with_the_count_of_the_payloads_it_lists()
    {
        var source = await Api.SetUpSourceAsync("Shop orders", "shopify");
        for (var i = 1; i <= 3; i++)
            (await Api.PostHookAsync(source.Token, $$"""{"id": {{i}}}""")).EnsureSuccessStatusCode();
        (await Api.PostHookAsync(source.Token, "not json", "text/plain")).Dispose();

        var table = Render<PayloadsTable>(p => p.Add(t => t.SourceId, source.Id));

        table.WaitForAssertion(() => Assert.Equal(3, table.FindAll("[data-testid=payloads-table] tbody tr").Count));
        Assert.Equal("3 payloads", table.Find("[data-testid=payload-count]").TextContent.Trim());

        // The page around it names the app and no longer says the source waits for its first payload.
        var page = Render<SourcePage>(p => p.Add(s => s.Id, source.Id));
        page.WaitForAssertion(() => Assert.Contains("Shopify · 0 items · 3 payloads today", page.Markup));
        Assert.DoesNotContain("waiting for its first payload", page.Markup);
        Assert.Contains("no unique id is chosen yet", page.Find("[data-testid=setup-hint]").TextContent);
    }

    [Fact]
    public async Task The_dashboard_counts_and_lists_requests_the_receiver_refused()
    {
        var source = await Api.SetUpSourceAsync("Shop orders", "shopify");
        (await Api.PostHookAsync(source.Token, """{"id": 1}""")).EnsureSuccessStatusCode();
        Assert.Equal(415, (int)(await Api.PostHookAsync(source.Token, "hello", "text/plain")).StatusCode);
        Assert.Equal(400, (int)(await Api.PostHookAsync(source.Token, "{\"id\": ")).StatusCode);

        var dashboard = Render<Features.Dashboard.Dashboard>();

        dashboard.WaitForAssertion(() => Assert.Contains("2", dashboard.Find("[data-testid=stat-failed]").TextContent));
        var failures = dashboard.Find("[data-testid=recent-failures]").TextContent;
        Assert.DoesNotContain("No payload has failed", failures);
        Assert.Contains("refused · 415", failures);
        Assert.Contains("refused · 400", failures);
        Assert.Contains("not stored", failures);
        Assert.Contains("Shop orders", failures);
    }
}
