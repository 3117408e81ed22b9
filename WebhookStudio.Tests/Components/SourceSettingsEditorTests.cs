using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Settings;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components;

/// <summary>The settings editor over a real studio's services: messages next to the fields, coverage as paths are typed, saving.</summary>
public sealed class SourceSettingsEditorTests : BunitContext, IAsyncLifetime
{
    private readonly StudioFactory factory = new();
    private ApiTestClient api = default!;

    public async Task InitializeAsync()
    {
        api = await ApiTestClient.ForRoleAsync(factory, StudioRoles.Admin);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddAuthorizationBuilder().AddStudioPolicies();
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "editor@example.com"), new Claim(ClaimTypes.Role, StudioRoles.Editor)], "test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(new ClaimsPrincipal(identity)));
        Services.AddScoped<UserAccess>();
        Services.AddSingleton(factory.Services.GetRequiredService<SourceService>());
        Services.AddSingleton(factory.Services.GetRequiredService<PayloadQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<MappingPreviewService>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        factory.Dispose();
    }

    private async Task<int> StripeSourceAsync(object? patch = null)
    {
        var source = await api.SetUpSourceAsync("Stripe invoices", "stripe", patch);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.PostHookAsync(source.Token, SamplePayloads.Read("stripe-invoice-paid.json"))).StatusCode);
        return source.Id;
    }

    private IRenderedComponent<SourceSettingsEditor> RenderEditor(int sourceId, bool wizard = false)
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<SourceSettingsEditor>(1);
            builder.AddAttribute(2, nameof(SourceSettingsEditor.SourceId), sourceId);
            builder.AddAttribute(3, nameof(SourceSettingsEditor.Wizard), wizard);
            builder.CloseComponent();
        });
        var editor = host.FindComponent<SourceSettingsEditor>();
        editor.WaitForElement("[data-testid=map-section]", TimeSpan.FromSeconds(10));
        return editor;
    }

    // MudTextField puts data-testid on the input; its message sits below, in the same input control.
    private static string FieldText(IRenderedComponent<SourceSettingsEditor> editor, string testId) =>
        editor.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;

    [Fact]
    public async Task An_invalid_path_is_reported_next_to_its_field_as_it_is_typed()
    {
        var editor = RenderEditor(await StripeSourceAsync(new { entityPath = "$.data.object" }));

        editor.Find("[data-testid=entity-path]").Input("$.data[");

        editor.WaitForAssertion(() => Assert.Contains("Invalid JSONPath", FieldText(editor, "entity-path"), StringComparison.Ordinal));
        Assert.DoesNotContain("Invalid JSONPath", FieldText(editor, "id-path"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_without_a_unique_id_says_so_next_to_the_id_field()
    {
        var editor = RenderEditor(await StripeSourceAsync());

        editor.Find("button[data-testid=save]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Choose the unique id", FieldText(editor, "id-path"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_path_from_the_payload_root_gets_a_hint_and_coverage_follows_the_typed_id()
    {
        var sourceId = await StripeSourceAsync(new { entityPath = "$.data.object" });
        var editor = RenderEditor(sourceId);
        editor.WaitForAssertion(() => Assert.Contains("Choose the unique id", editor.Find("[data-testid=id-coverage]").TextContent, StringComparison.Ordinal));

        editor.Find("[data-testid=id-path]").Input("$.data.object.id");
        editor.WaitForAssertion(() => Assert.Contains("relative to the entity: $.id", FieldText(editor, "id-path"), StringComparison.Ordinal));
        editor.WaitForAssertion(() => Assert.Contains("0% (0 of 1)", editor.Find("[data-testid=id-coverage]").TextContent, StringComparison.Ordinal));

        editor.Find("[data-testid=id-path]").Input("$.id");
        editor.WaitForAssertion(() => Assert.Contains("100% (1 of 1)", editor.Find("[data-testid=id-coverage]").TextContent, StringComparison.Ordinal));
        Assert.Contains("in_1QxY2yAbCdEfGhIj", editor.Find("[data-testid=entities-table]").TextContent, StringComparison.Ordinal);

        editor.Find("button[data-testid=save]").Click();
        editor.WaitForAssertion(() => Assert.Contains("All changes saved", editor.Markup, StringComparison.Ordinal));
        var saved = (await factory.Services.GetRequiredService<SourceService>().GetAsync(sourceId))!.Source;
        Assert.Equal(("$.data.object", "$.id"), (saved.EntityPath, saved.IdPath));
    }

    [Fact]
    public async Task The_wizard_without_any_payload_says_so_and_links_back_to_connecting()
    {
        var source = await api.SetUpSourceAsync("Nothing yet");
        var host = Render(builder =>
        {
            builder.OpenComponent<SourceSettingsEditor>(0);
            builder.AddAttribute(1, nameof(SourceSettingsEditor.SourceId), source.Id);
            builder.AddAttribute(2, nameof(SourceSettingsEditor.Wizard), true);
            builder.CloseComponent();
        });

        host.WaitForAssertion(() => Assert.Contains("No payload has arrived yet", host.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.NotNull(host.Find($"a[href='sources/{source.Id}/setup']"));
    }

    [Fact]
    public async Task Changing_the_mapping_of_a_live_source_offers_to_reprocess_its_stored_payloads()
    {
        var sourceId = await StripeSourceAsync(new { entityPath = "$.data.object", idPath = "$.id", liveStream = true });
        await api.SettledPayloadsAsync(sourceId);
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<SourceSettingsEditor>(2);
            builder.AddAttribute(3, nameof(SourceSettingsEditor.SourceId), sourceId);
            builder.CloseComponent();
        });
        var editor = host.FindComponent<SourceSettingsEditor>();
        editor.WaitForElement("[data-testid=title-path]", TimeSpan.FromSeconds(10));

        editor.Find("[data-testid=title-path]").Input("$.customer_name");
        // The preview runs after the typing pauses and reads the stored payload: on a busy machine it takes more than bUnit's 1 s default.
        editor.WaitForAssertion(() => Assert.Contains("Title found in", editor.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        editor.Find("button[data-testid=save]").Click();

        host.WaitForAssertion(() => Assert.Contains("The mapping changed", host.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        host.FindAll("button").Single(b => b.TextContent.Contains("Process them", StringComparison.Ordinal)).Click();
        var item = await Eventually.Until(async () => (await api.ItemsAsync(sourceId)).Single()!, i => (string?)i["title"] == "Jenny Rosen",
            "the stored payload to be processed again with the new title");
        Assert.Equal("in_1QxY2yAbCdEfGhIj", (string?)item["externalId"]);
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private async Task<int> SourceWithSampleAsync(string app, string sampleFile)
    {
        var source = await api.SetUpSourceAsync($"{app} source", app);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.PostHookAsync(source.Token, SamplePayloads.Read(sampleFile))).StatusCode);
        return source.Id;
    }

    private static string? FieldValue(IRenderedComponent<SourceSettingsEditor> editor, string testId) =>
        editor.Find($"input[data-testid={testId}]").GetAttribute("value");

    [Fact]
    public async Task The_map_step_offers_the_apps_suggested_mapping_and_applying_it_fills_the_fields_and_shows_coverage()
    {
        var editor = RenderEditor(await StripeSourceAsync(), wizard: true);
        var suggested = Assert.Single(AppCatalog.Find("stripe")!.Profile.Mappings);

        var button = Assert.Single(editor.FindAll("button[data-testid=use-suggested-mapping]"));
        Assert.Equal("Use Stripe's suggested mapping", button.TextContent.Trim());
        Assert.Empty(editor.FindAll("input[data-testid=entity-path]"));

        button.Click();

        editor.WaitForAssertion(() => Assert.Equal(suggested.EntityPath, FieldValue(editor, "entity-path")));
        Assert.Equal(suggested.IdPath, FieldValue(editor, "id-path"));
        Assert.Equal(suggested.TitlePath, FieldValue(editor, "title-path"));
        editor.WaitForAssertion(() => Assert.Contains("100% (1 of 1)", editor.Find("[data-testid=id-coverage]").TextContent, StringComparison.Ordinal));
        Assert.Contains("100% (1 of 1)", editor.Find("[data-testid=title-coverage]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Jenny Rosen", editor.Find("[data-testid=entities-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_with_several_event_types_offers_one_button_per_event_and_each_fills_its_own_paths()
    {
        var editor = RenderEditor(await SourceWithSampleAsync("github", "github-push.json"), wizard: true);
        var github = AppCatalog.Find("github")!;

        var labels = editor.FindAll("button[data-testid=use-suggested-mapping]").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(github.Profile.Mappings.Select(m => $"Use GitHub's suggested mapping for {m.For}"), labels);

        editor.FindAll("button[data-testid=use-suggested-mapping]")[0].Click();
        editor.WaitForAssertion(() => Assert.Equal("$.commits[*]", FieldValue(editor, "entity-path")));
        Assert.Equal("message", FieldValue(editor, "title-path"));
        // The push sample holds two commits: two entities, each with its id and title.
        editor.WaitForAssertion(() => Assert.Contains("Fix the retry schedule", editor.Find("[data-testid=entities-table]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Add tests", editor.Find("[data-testid=entities-table]").TextContent, StringComparison.Ordinal);

        // The issues mapping does not fit a push: the coverage says so instead of hiding it.
        editor.FindAll("button[data-testid=use-suggested-mapping]")[1].Click();
        editor.WaitForAssertion(() => Assert.Equal("$.issue", FieldValue(editor, "entity-path")));
        editor.WaitForAssertion(() => Assert.Contains("0% (0 of 1)", editor.Find("[data-testid=id-coverage]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_custom_source_is_offered_no_suggested_mapping()
    {
        var source = await api.SetUpSourceAsync("Anything");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.PostHookAsync(source.Token, """{"id":"1","name":"One"}""")).StatusCode);
        var editor = RenderEditor(source.Id, wizard: true);
        Assert.Empty(editor.FindAll("[data-testid=suggested-mappings]"));
    }
}
