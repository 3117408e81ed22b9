using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebhookStudio.Features.Sources.Catalog;

namespace WebhookStudio.Tests.Components;

/// <summary>The profile "Add a data source" shows once an app is chosen.</summary>
public sealed class AppProfileSummaryTests : BunitContext, IAsyncLifetime
{
    public AppProfileSummaryTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private IRenderedComponent<AppProfileSummary> RenderFor(string key) =>
        Render<AppProfileSummary>(p => p.Add(c => c.App, AppCatalog.Find(key)!));

    [Fact]
    public void An_app_that_signs_shows_its_events_handshake_and_where_its_secret_is_with_the_docs_link()
    {
        var zoom = AppCatalog.Find("zoom")!;
        var summary = RenderFor("zoom");

        var events = summary.Find("[data-testid=app-profile-events]").TextContent;
        Assert.All(zoom.Profile.Events, e => Assert.Contains(e, events, StringComparison.Ordinal));
        Assert.Equal(zoom.Profile.Handshake, summary.Find("[data-testid=app-profile-handshake]").TextContent.Trim());
        var verification = summary.Find("[data-testid=app-profile-verification]").TextContent;
        Assert.Contains(zoom.Profile.Verification!.SecretName, verification, StringComparison.Ordinal);
        Assert.Contains(zoom.Profile.Verification.WhereToFind, verification, StringComparison.Ordinal);
        var docs = summary.Find("[data-testid=app-profile-verification-docs]");
        Assert.Equal(zoom.Profile.Verification.DocsUrl, docs.GetAttribute("href"));
        Assert.Equal("_blank", docs.GetAttribute("target"));
        Assert.Equal(["What it sends", "Handshake", "Verification"], summary.FindAll("dt").Select(d => d.TextContent.Trim()));
    }

    [Fact]
    public void An_app_without_handshake_or_signature_says_so_in_a_sentence()
    {
        var summary = RenderFor("mollie");

        Assert.Equal(AppCatalog.Find("mollie")!.Profile.HandshakeText, summary.Find("[data-testid=app-profile-handshake]").TextContent.Trim());
        Assert.StartsWith("None", summary.Find("[data-testid=app-profile-handshake]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("checks no signature from Mollie", summary.Find("[data-testid=app-profile-verification]").TextContent, StringComparison.Ordinal);
        Assert.Empty(summary.FindAll("[data-testid=app-profile-verification-docs]"));
    }
}
