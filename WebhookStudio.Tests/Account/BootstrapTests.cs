using System.Net;
using System.Net.Http.Json;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Account;

public sealed class BootstrapTests
{
    [Fact]
    public async Task Unattended_install_gets_its_admin_and_api_key_from_configuration()
    {
        using var factory = new StudioFactory()
            .With("Admin:Email", "ops@example.com")
            .With("Admin:Password", "from-config-1")
            .With("Admin:ApiKey", "whs_bootstrap_key_for_tests_0123456789");

        var client = factory.CreateBrowserClient();
        Assert.Equal("/account/login?ReturnUrl=%2F", (await client.GetAsync("/")).Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SignInAsync(client, "ops@example.com", "from-config-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", "whs_bootstrap_key_for_tests_0123456789");
        var me = await api.GetFromJsonAsync<Me>("/api/v1/me");
        Assert.Equal(new Me("Bootstrap key (configuration)", "api_key", "admin"), me);
    }

    [Fact]
    public async Task Configured_admin_is_ignored_once_users_exist()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "webhook-studio-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using (var first = new StudioFactory(dataDirectory) { DeleteDataOnDispose = false })
            {
                first.CreateClient();
                await first.CreateUserAsync("owner@example.com", "owner-pass-1", "Admin");
            }

            using var second = new StudioFactory(dataDirectory) { DeleteDataOnDispose = false }
                .With("Admin:Email", "intruder@example.com")
                .With("Admin:Password", "intruder-pass-1")
                .With("Admin:ApiKey", "whs_late_key_0123456789");
            var client = second.CreateBrowserClient();
            var refused = await Forms.SignInAsync(client, "intruder@example.com", "intruder-pass-1");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("not right", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var api = second.CreateClient();
            api.DefaultRequestHeaders.Add("X-Api-Key", "whs_late_key_0123456789");
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
        }
        finally
        {
            StudioFactory.TryDelete(dataDirectory);
        }
    }

    private sealed record Me(string Name, string Kind, string Role);
}
