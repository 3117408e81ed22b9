using Bunit;
using MudBlazor;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Tests.Components;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Connectors;

/// <summary>The connector dialog over the real ConnectorService.</summary>
public sealed class ConnectorDialogTests(SharedStudio shared) : StudioComponentTestBase(shared)
{
    private async Task OpenAsync(ConnectorView? existing = null)
    {
        var dialogs = Services.GetService(typeof(IDialogService)) as IDialogService;
        var parameters = new DialogParameters<ConnectorDialog> { { d => d.Existing, existing } };
        await Dialogs.InvokeAsync(() => dialogs!.ShowAsync<ConnectorDialog>("Connector", parameters));
        Dialogs.WaitForElement("[data-testid=connector-secret]");
    }

    private Task ChooseKindAsync(string kind)
    {
        var select = Dialogs.FindComponents<MudSelect<string>>().Single();
        return Dialogs.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(kind));
    }

    private bool Shows(string testId) => Dialogs.FindAll($"[data-testid={testId}]").Count > 0;

    private string SecretLabel() => Dialogs.Find("[data-testid=connector-secret]").Closest(".mud-input-control")!.QuerySelector("label")!.TextContent.Trim();

    [Fact]
    public async Task Each_type_asks_for_its_own_fields()
    {
        await OpenAsync();

        // Bearer (the default): a token only.
        Assert.False(Shows("connector-username") || Shows("connector-parameter") || Shows("connector-token-url"));
        Assert.Equal("Token", SecretLabel());

        await ChooseKindAsync("basic");
        Dialogs.WaitForAssertion(() => Assert.True(Shows("connector-username")));
        Assert.Equal("Password", SecretLabel());

        await ChooseKindAsync("apikey");
        Dialogs.WaitForAssertion(() => Assert.True(Shows("connector-parameter")));
        Assert.False(Shows("connector-username"));
        Assert.Equal("Header name", Dialogs.Find("[data-testid=connector-parameter]").Closest(".mud-input-control")!.QuerySelector("label")!.TextContent.Trim());
        var place = Dialogs.FindComponent<MudRadioGroup<bool>>();
        await Dialogs.InvokeAsync(() => place.Instance.ValueChanged.InvokeAsync(true));
        Dialogs.WaitForAssertion(() => Assert.Equal("Query parameter name",
            Dialogs.Find("[data-testid=connector-parameter]").Closest(".mud-input-control")!.QuerySelector("label")!.TextContent.Trim()));

        await ChooseKindAsync("oauth2");
        Dialogs.WaitForAssertion(() => Assert.True(Shows("connector-token-url") && Shows("connector-client-id") && Shows("connector-scope")));
        Assert.False(Shows("connector-parameter"));
        Assert.Equal("Client secret", SecretLabel());
    }

    [Fact]
    public async Task The_services_errors_show_next_to_the_fields_of_the_chosen_type()
    {
        await OpenAsync();
        await ChooseKindAsync("oauth2");
        Dialogs.WaitForElement("[data-testid=connector-token-url]");
        Dialogs.Find("[data-testid=connector-token-url]").Input("not a url");

        Dialogs.Find("[data-testid=connector-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("Enter the token URL",
            Dialogs.Find("[data-testid=connector-token-url]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Contains("Give the connector a name", Dialogs.Find("[data-testid=connector-name]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Enter the client secret", Dialogs.Find("[data-testid=connector-secret]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await Service<ConnectorService>().ListAsync());
    }

    [Fact]
    public async Task Editing_never_prefills_the_secret_and_an_empty_field_keeps_the_saved_one()
    {
        var connectors = Service<ConnectorService>();
        var saved = await connectors.CreateAsync(new ConnectorInput("CRM token", ConnectorKind.Bearer, Secret: "tok-3f9a1c7e5b"));

        await OpenAsync(saved);

        var secret = Dialogs.Find("[data-testid=connector-secret]");
        Assert.True(string.IsNullOrEmpty(secret.GetAttribute("value")));
        Assert.Equal("password", secret.GetAttribute("type"));
        Assert.Equal("Replace token", SecretLabel());
        Assert.Contains("Saved: ••••, set", secret.Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-3f9a1c7e5b", Dialogs.Markup, StringComparison.Ordinal);

        Dialogs.Find("[data-testid=connector-name]").Input("CRM bearer token");
        Dialogs.Find("[data-testid=connector-save]").Click();

        var credentials = await Infrastructure.Eventually.Until(
            async () => (await connectors.GetAsync(saved.Id))!, c => c.Name == "CRM bearer token", "the renamed connector");
        Assert.True(credentials.SecretSet);
        var loaded = await Service<ConnectorAuthenticator>().LoadAsync(saved.Id);
        Assert.Equal("tok-3f9a1c7e5b", loaded!.Secret);
    }
}
