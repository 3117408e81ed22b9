using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>Forms that ask only what they need, and say the same thing for the same mistake.</summary>
public sealed class FormsTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Editor)
{
    [Fact]
    public async Task A_source_needs_a_name_whatever_its_app_and_the_app_name_is_only_a_suggestion()
    {
        await Dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<AddSourceDialog>("Add a data source"));

        Dialogs.Find("[data-testid=app-shopify]").Click();
        var name = Dialogs.Find("input[data-testid=source-name]");
        Assert.Equal("Shopify", name.GetAttribute("value"));
        Assert.Contains("Suggested from the app", Dialogs.Markup, StringComparison.Ordinal);
        name.Input("");
        Dialogs.Find("[data-testid=create-source]").Click();
        var catalogError = Dialogs.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent.Trim();

        Dialogs.Find("[data-testid=change-app]").Click();
        Dialogs.Find("[data-testid=app-custom]").Click();
        Assert.Equal("", Dialogs.Find("input[data-testid=source-name]").GetAttribute("value") ?? "");
        Dialogs.Find("[data-testid=create-source]").Click();
        var customError = Dialogs.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent.Trim();

        Assert.StartsWith("Give the source a name", catalogError, StringComparison.Ordinal);
        Assert.Equal(catalogError, customError);
        Assert.Equal(0, (await Api.GetJsonAsync("/api/v1/sources"))["total"]!.GetValue<int>());
    }

    [Fact]
    public void The_app_label_shows_what_the_url_suggests_and_needs_no_typing()
    {
        var page = Render<NewSubscriptionPage>();
        var app = page.WaitForElement("input[data-testid=sub-app]");
        Assert.Equal("e.g. crm", app.GetAttribute("placeholder"));
        Assert.Equal("false", app.GetAttribute("aria-required"));

        page.Find("input[data-testid=sub-url]").Input("https://api.hubspot.com/webhooks/v3");
        page.WaitForAssertion(() => Assert.Equal("hubspot", page.Find("input[data-testid=sub-app]").GetAttribute("placeholder")));
        Assert.Contains("Left empty: read from the URL's host.", page.Markup, StringComparison.Ordinal);
    }
}
