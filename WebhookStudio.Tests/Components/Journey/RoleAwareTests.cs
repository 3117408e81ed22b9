using Bunit;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Bins;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>Empty pages as a Tester sees them: what is there to see, and no call to do what a Tester may not.</summary>
public sealed class EmptyPagesForATesterTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Tester)
{
    [Fact]
    public void Empty_pages_say_who_creates_things_and_offer_no_action_a_tester_cannot_take()
    {
        AssertForReaders(Render<BinsPage>(), "An Editor or Admin creates them", "Create a bin");
        AssertForReaders(Render<SourcesPage>(), "An Editor or Admin connects", "Add a data source, copy");
        AssertForReaders(Render<SubscriptionsPage>(), "try each one with Example and Test", "New subscription");
        AssertForReaders(Render<ConnectorsPage>(), "An Editor or Admin adds them", "New connector");
    }

    [Fact]
    public void The_welcome_tells_a_tester_what_they_can_do_while_nothing_is_connected()
    {
        var dashboard = Render<Features.Dashboard.Dashboard>();
        dashboard.WaitForAssertion(() => Assert.Contains("request tester", dashboard.Find("[data-testid=reader-welcome]").TextContent, StringComparison.Ordinal));
        Assert.Empty(dashboard.FindAll("[data-testid=dashboard-add-source]"));
        Assert.DoesNotContain("Three steps get you going", dashboard.Markup, StringComparison.Ordinal);
    }

    private static void AssertForReaders(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string readerText, string editorWords)
    {
        page.WaitForAssertion(() => Assert.Contains(readerText, page.Find("[data-testid=reader-text]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(editorWords, page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=empty-state] button"));
    }
}

/// <summary>The empty dashboard as an Editor sees it.</summary>
public sealed class EmptyDashboardForAnEditorTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Editor)
{
    [Fact]
    public void Add_a_source_on_the_dashboard_opens_the_add_dialog_in_place()
    {
        var dashboard = Render<Features.Dashboard.Dashboard>();
        dashboard.WaitForElement("[data-testid=dashboard-add-source]").Click();

        Dialogs.WaitForAssertion(() => Assert.NotEmpty(Dialogs.FindAll("[data-testid=app-list]")));
        Assert.Contains("Add a data source", Dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("Three steps get you going", dashboard.Markup, StringComparison.Ordinal);
    }
}
