using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebhookStudio.Components.Layout;
using WebhookStudio.Data;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Notifications;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Components;

/// <summary>The app shell with the real authorization policies and MudBlazor services.</summary>
public sealed class AppShellTests : BunitContext, IAsyncLifetime
{
    // The notification bell reads the real model; an in-memory SQLite database lives as long as this connection.
    private readonly SqliteConnection database = new("Data Source=:memory:");

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await database.DisposeAsync();
    }

    private void SignInAs(string role)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddAuthorizationBuilder().AddStudioPolicies();
        // bUnit registers a placeholder authorization service; these tests use the real one with the real policies.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddCascadingAuthenticationState();
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role.ToLowerInvariant()}@example.com"), new Claim(ClaimTypes.Role, role)], "test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(new ClaimsPrincipal(identity)));

        database.Open();
        Services.AddSingleton<IDbContextFactory<StudioDbContext>>(new SharedConnectionContexts(database));
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<UserAccess>();
        Services.AddSingleton<EventHub<DeliveryChanged>>();
        Services.AddSingleton<NotificationService>();
        using var db = Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        db.Database.EnsureCreated();
    }

    [Fact]
    public void An_admin_sees_users_and_jobs_in_the_navigation()
    {
        SignInAs(StudioRoles.Admin);
        var nav = Render<NavMenu>();
        Assert.Contains("Users &amp; API keys", nav.Markup, StringComparison.Ordinal);
        Assert.Contains("Background jobs", nav.Markup, StringComparison.Ordinal);
        Assert.Contains("Dashboard", nav.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StudioRoles.Editor)]
    [InlineData(StudioRoles.Tester)]
    public void Others_do_not_see_admin_entries(string role)
    {
        SignInAs(role);
        var nav = Render<NavMenu>();
        Assert.DoesNotContain("Users &amp; API keys", nav.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Background jobs", nav.Markup, StringComparison.Ordinal);
        Assert.Contains("API reference", nav.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_layout_shows_the_page_the_user_and_a_theme_switch()
    {
        SignInAs(StudioRoles.Editor);
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page\">Page body</p>"))));

        Assert.Equal("Page body", layout.Find("main #page").TextContent);
        Assert.Contains("editor@example.com", layout.Markup, StringComparison.Ordinal);
        layout.WaitForAssertion(() => Assert.Equal("Notifications, 0 unread", layout.Find("[data-testid=notifications] button").GetAttribute("aria-label")));
        var toggle = layout.Find("[data-testid=theme-toggle]");
        Assert.Equal("Toggle theme", toggle.GetAttribute("aria-label"));

        // Once the saved theme is read: a click before that would be overwritten by it.
        layout.WaitForElement("[data-interactive=true]");
        var before = layout.Find("[data-testid=theme-toggle]").InnerHtml;
        layout.Find("[data-testid=theme-toggle]").Click();
        Assert.NotEqual(before, layout.Find("[data-testid=theme-toggle]").InnerHtml);
        JSInterop.VerifyInvoke("studio.rememberTheme");
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    /// <summary>Contexts over the test's one in-memory connection, which must stay open for the database to live.</summary>
    private sealed class SharedConnectionContexts(SqliteConnection connection) : IDbContextFactory<StudioDbContext>
    {
        public StudioDbContext CreateDbContext() =>
            new SqliteStudioDbContext(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite(connection).Options);
    }
}
