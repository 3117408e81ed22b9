using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Tests.Components.Conditions;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>
/// The filter builder and its backtest in every state at once (nested groups, an invalid row, an empty row), rendered
/// with bUnit (with the real backtest) and shown in Chromium with the studio's own style sheets, in both themes, for
/// screenshots to look at. The pages that host them, the map step and the source's Settings tab, are screenshot by
/// their flow tests.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConditionComponentsLookTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Builder_and_backtest_render_with_the_studio_styles(bool dark)
    {
        var baseAddress = Studio.Start();
        var api = await ApiTestClient.ForRoleAsync(Studio, "Admin");
        var source = await api.SetUpSourceAsync("Stripe", "stripe");
        var paid = SamplePayloads.Read("stripe-invoice-paid.json");
        await api.PostHookAsync(source.Token, paid);
        await api.PostHookAsync(source.Token, paid.Replace("\"invoice.paid\"", "\"invoice.created\"", StringComparison.Ordinal));
        await api.PostHookAsync(source.Token, SamplePayloads.Read("zendesk-ticket-updated.json"));
        await api.SettledPayloadsAsync(source.Id);

        var filter = ConditionGroup.Parse("""
            {"all":[{"path":"$.type","op":"in","value":["invoice.paid","invoice.created"]},
                    {"any":[{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000"},
                            {"path":"$.livemode","op":"not_exists"},
                            {"all":[{"path":"$.data.object.customer_email","op":"matches","value":"@(example"}]}]},
                    {"path":"","op":"equals"}]}
            """);
        await using var bunit = new BunitContext();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton(Studio.Services.GetRequiredService<FilterBacktest>());
        bunit.Services.AddSingleton(Studio.Services.GetRequiredService<EventHub<StudioEvent>>());
        var demo = bunit.Render<ConditionsDemo>(p => p.Add(d => d.Dark, dark).Add(d => d.SourceId, source.Id).Add(d => d.Filter, filter)
            .Add(d => d.Fields, ["$.type", "$.data.object.amount_paid", "$.data.object.customer_email", "$.livemode"]));
        demo.WaitForAssertion(() => Assert.Contains("Would process 2 of the last 3 payloads", demo.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        var page = await Browser.NewPageAsync(baseAddress);
        await page.GotoAsync("/account/login");
        await page.SetContentAsync($"""
            <!DOCTYPE html><html><head><base href="{baseAddress}" />
            <link rel="stylesheet" href="_content/MudBlazor/MudBlazor.min.css" />
            <link rel="stylesheet" href="app.css" />
            <link rel="stylesheet" href="WebhookStudio.styles.css" />
            </head><body class="mud-theme">{demo.Markup}</body></html>
            """);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await BrowserFixture.ScreenshotAsync(page, dark ? "filter-builder-dark" : "filter-builder-light");
        Assert.Equal(5, await page.Locator("[data-testid=condition-row]").CountAsync());
    }
}
