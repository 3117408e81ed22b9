using System.Net;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Account;

public sealed class SignInTests(SharedStudio shared) : SharedStudioTests(shared)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.CreateUserAsync("admin@example.com", "admin-pass-1", "Admin");
        await Factory.CreateUserAsync("tess@example.com", "tester-pass-1", "Tester");
        await Factory.CreateUserAsync("eddie@example.com", "editor-pass-1", "Editor");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/account/password")]
    [InlineData("/jobs")]
    public async Task Anonymous_requests_to_admin_pages_are_sent_to_sign_in(string path)
    {
        var response = await Factory.CreateBrowserClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task Receiver_and_health_routes_stay_anonymous()
    {
        Assert.Equal(HttpStatusCode.OK, (await Factory.CreateClient().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_shows_the_dashboard_and_signing_out_ends_the_session()
    {
        var client = Factory.CreateBrowserClient();
        var signIn = await Forms.SignInAsync(client, "admin@example.com", "admin-pass-1");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var dashboard = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("<title>Dashboard · Webhook Studio</title>", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var signOut = await Forms.SubmitLogoutAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_tester_is_refused_pages_whose_only_purpose_is_a_change()
    {
        var tester = Factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(tester, "tess@example.com", "tester-pass-1")).StatusCode);
        var refused = await tester.GetAsync("/subscriptions/new");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/account/access-denied", refused.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await tester.GetAsync("/subscriptions")).StatusCode);

        var editor = Factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(editor, "eddie@example.com", "editor-pass-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/subscriptions/new")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        var response = await Forms.SignInAsync(Factory.CreateBrowserClient(), "admin@example.com", "wrong-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_failed_attempts_lock_the_account_even_against_the_right_password()
    {
        var client = Factory.CreateBrowserClient();
        for (var attempt = 0; attempt < 5; attempt++)
            await Forms.SignInAsync(client, "eddie@example.com", $"wrong-{attempt}");

        var locked = await Forms.SignInAsync(client, "eddie@example.com", "editor-pass-1");
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked for 15 minutes", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tester_is_refused_admin_pages_and_the_job_dashboard_on_the_server()
    {
        var client = Factory.CreateBrowserClient();
        await Forms.SignInAsync(client, "tess@example.com", "tester-pass-1");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        foreach (var path in new[] { "/users", "/jobs" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/access-denied", response.Headers.Location?.AbsolutePath);
        }
    }

    [Fact]
    public async Task An_admin_opens_the_job_dashboard()
    {
        var client = Factory.CreateBrowserClient();
        await Forms.SignInAsync(client, "admin@example.com", "admin-pass-1");
        var jobs = await client.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Contains("Webhook Studio jobs", await jobs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(Factory.Services))
        {
            var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<WebhookStudio.Features.Account.UserAdministration>(scope.ServiceProvider);
            var tess = (await users.ListAsync()).Single(u => u.Email == "tess@example.com");
            await users.SetDisabledAsync(tess.Id, true);
        }
        var response = await Forms.SignInAsync(Factory.CreateBrowserClient(), "tess@example.com", "tester-pass-1");
        Assert.Contains("This account is disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_takes_effect()
    {
        var client = Factory.CreateBrowserClient();
        await Forms.SignInAsync(client, "eddie@example.com", "editor-pass-1");
        var changed = await Forms.SubmitAsync(client, "/account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.Current"] = "editor-pass-1",
            ["Input.New"] = "editor-pass-2",
            ["Input.Confirm"] = "editor-pass-2",
        });
        Assert.Contains("Your password was changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await Forms.SignInAsync(Factory.CreateBrowserClient(), "eddie@example.com", "editor-pass-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(Factory.CreateBrowserClient(), "eddie@example.com", "editor-pass-2")).StatusCode);
    }

    [Theory]
    [InlineData(null, "/")]
    [InlineData("/users", "/users")]
    [InlineData("users?tab=keys", "/users?tab=keys")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    public void Return_urls_stay_inside_the_studio(string? returnUrl, string expected) =>
        Assert.Equal(expected, WebhookStudio.Features.Account.Login.SafeReturnUrl(returnUrl));
}
