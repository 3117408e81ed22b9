using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebhookStudio.Features.Sources.Catalog;

namespace WebhookStudio.Tests.Components;

/// <summary>The searchable app catalog of "Add a data source".</summary>
public sealed class AppPickerTests : BunitContext, IAsyncLifetime
{
    public AppPickerTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static IReadOnlyList<string> Apps(IRenderedComponent<AppPicker> picker) =>
        picker.FindAll("[data-testid=app-list] [role=button]").Select(t => t.GetAttribute("aria-label")!).ToList();

    [Fact]
    public void Every_app_shows_by_name_with_its_category_what_it_sends_and_its_docs_link_after_the_new_custom_source_option()
    {
        var picker = Render<AppPicker>();
        var apps = Apps(picker);
        Assert.Equal("New Custom Source", apps[0]);
        Assert.Equal(["New Custom Source", .. AppCatalog.Apps.Select(a => a.Name)], apps);
        var stripe = AppCatalog.Find("stripe")!;
        Assert.Equal($"{stripe.Category} · JSON", picker.Find("[data-testid=app-stripe] .app-tile-meta").TextContent.Trim());
        Assert.DoesNotContain("(Custom Source)", picker.Markup, StringComparison.Ordinal);
        Assert.Equal("https://docs.stripe.com/webhooks", picker.Find("[data-testid=docs-stripe]").GetAttribute("href"));
        Assert.Equal("_blank", picker.Find("[data-testid=docs-stripe]").GetAttribute("target"));
        Assert.Contains("Form post", picker.Find("[data-testid=app-mailchimp]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Typing_filters_the_list_and_keeps_the_custom_option()
    {
        var picker = Render<AppPicker>();
        picker.Find("[data-testid=app-search] input, input[data-testid=app-search]").Input("stripe");

        picker.WaitForAssertion(() => Assert.Equal(["New Custom Source", "Stripe"], Apps(picker)));
        Assert.Empty(picker.FindAll("[data-testid=no-app-match]"));

        picker.Find("input").Input("an app nobody has heard of");
        picker.WaitForAssertion(() => Assert.Equal(["New Custom Source"], Apps(picker)));
        Assert.Contains("New Custom Source", picker.Find("[data-testid=no-app-match]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Choosing_an_app_or_the_custom_option_reports_it()
    {
        var picked = new List<CatalogApp?>();
        var picker = Render<AppPicker>(p => p.Add(c => c.OnPick, (CatalogApp? app) => picked.Add(app)));

        picker.Find("[data-testid=app-github]").Click();
        picker.Find("[data-testid=app-custom]").Click();
        picker.Find("[data-testid=app-zendesk]").KeyDown("Enter");

        Assert.Equal(["github", null, "zendesk"], picked.Select(a => a?.Key));
    }
}
