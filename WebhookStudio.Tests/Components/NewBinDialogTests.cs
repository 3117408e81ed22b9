using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WebhookStudio.Data;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Bins;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Secrets;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Hosting;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Components;

/// <summary>The "New bin" dialog over the real bin service and a throwaway SQLite database.</summary>
public sealed class NewBinDialogTests : BunitContext, IAsyncLifetime
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), $"bins-dialog-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataPath, recursive: true);
    }

    private void SetUp(string role)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddAuthorizationBuilder().AddStudioPolicies();
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone@example.com"), new Claim(ClaimTypes.Role, role)], "test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(new ClaimsPrincipal(identity)));
        Services.AddScoped<UserAccess>();
        // The same database wiring as the app, on a folder of this test's own.
        var storage = new StorageOptions { DataDirectory = dataPath };
        Services.AddSingleton(StudioDatabase.Create(storage, new ConfigurationBuilder().Build(), () => DataDirectory.Create(storage, dataPath)));
        Services.AddDbContextFactory<StudioDbContext, StudioDbContextFactory>((sp, o) => sp.GetRequiredService<StudioDatabase>().Configure(o));
        Services.AddSingleton<DatabaseWriteGate>();
        Services.AddSingleton<StudioWrites>();
        Services.AddSingleton<EventHub<BinEvent>>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddDataProtection();
        Services.AddSingleton<OutboundSecrets>();
        Services.AddSingleton<SourceSecrets>();
        Services.AddSingleton<KnownSecretsReader>();
        Services.AddSingleton<BinService>();
        using var db = Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        db.Database.EnsureCreated();
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<NewBinDialog>("New request bin"));
        return (provider, reference!);
    }

    private async Task<List<RequestBin>> BinsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        return await db.RequestBins.ToListAsync();
    }

    [Fact]
    public async Task Creating_a_bin_saves_its_answer_and_closes_with_its_id()
    {
        SetUp(StudioRoles.Editor);
        var (provider, dialog) = await OpenAsync();

        provider.Find("input[data-testid=bin-name]").Input("CRM test");
        provider.Find("input[data-testid=bin-status]").Change("201");
        provider.Find("textarea[data-testid=bin-headers]").Change("X-Trace: abc\nX-Env: test");
        provider.Find("textarea[data-testid=bin-body]").Change("""{"received":true}""");
        provider.Find("[data-testid=create-bin]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        var bin = Assert.Single(await BinsAsync());
        Assert.Equal(bin.Id, Assert.IsType<int>(result!.Data));
        Assert.Equal("CRM test", bin.Name);
        Assert.Equal(201, bin.ResponseStatus);
        Assert.Equal("application/json", bin.ResponseContentType);
        Assert.Equal("""{"received":true}""", bin.ResponseBody);
        Assert.Equal(new Dictionary<string, string> { ["X-Trace"] = "abc", ["X-Env"] = "test" }, BinResponse.HeadersFrom(bin.ResponseHeaders));
        Assert.Equal("someone@example.com", bin.CreatedBy);
    }

    [Fact]
    public async Task Missing_name_and_bad_status_show_next_to_their_fields_and_nothing_is_created()
    {
        SetUp(StudioRoles.Editor);
        var (provider, _) = await OpenAsync();

        provider.Find("input[data-testid=bin-status]").Change("99");
        provider.Find("[data-testid=create-bin]").Click();

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("Give the bin a name", provider.Markup, StringComparison.Ordinal);
            Assert.Contains("between 200 and 599", provider.Markup, StringComparison.Ordinal);
        });
        Assert.Empty(await BinsAsync());
    }

    [Fact]
    public async Task A_header_line_without_a_colon_is_pointed_out()
    {
        SetUp(StudioRoles.Editor);
        var (provider, _) = await OpenAsync();

        provider.Find("input[data-testid=bin-name]").Input("Headers");
        provider.Find("textarea[data-testid=bin-headers]").Change("X-Ok: 1\nnot a header");
        provider.Find("[data-testid=create-bin]").Click();

        provider.WaitForAssertion(() => Assert.Contains("Line 2 is not", provider.Markup, StringComparison.Ordinal));
        Assert.Empty(await BinsAsync());
    }

    [Fact]
    public async Task A_tester_is_told_only_editors_create_bins()
    {
        SetUp(StudioRoles.Tester);
        var (provider, _) = await OpenAsync();

        provider.Find("input[data-testid=bin-name]").Input("Not mine");
        provider.Find("[data-testid=create-bin]").Click();

        provider.WaitForAssertion(() => Assert.Contains("Not allowed", provider.Find("[data-testid=bin-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(await BinsAsync());
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
