using System.Net;
using Microsoft.Data.Sqlite;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Account;

public sealed class FirstRunTests : IDisposable
{
    private readonly StudioFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task The_app_boots_applies_migrations_in_WAL_mode_and_reports_healthy()
    {
        var client = factory.CreateClient();
        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        var database = Path.Combine(factory.DataDirectory, "studio.db");
        Assert.True(File.Exists(database));
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
        Assert.True(Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "keys")).Any(), "Data Protection key ring is in the data directory");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/account/login")]
    [InlineData("/jobs")]
    public async Task Without_any_user_every_page_leads_to_first_admin_creation(string path)
    {
        var client = factory.CreateBrowserClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Creating_the_first_admin_signs_in_and_closes_the_setup_page()
    {
        var client = factory.CreateBrowserClient();
        var created = await Forms.SubmitAsync(client, "/setup", "setup", new Dictionary<string, string>
        {
            ["Input.Email"] = "ana@example.com",
            ["Input.Password"] = "first-admin-1",
            ["Input.Confirm"] = "first-admin-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/", created.Headers.Location?.AbsolutePath);

        var dashboard = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Dashboard", await dashboard.Content.ReadAsStringAsync());

        var setupAgain = await factory.CreateBrowserClient().GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Redirect, setupAgain.StatusCode);
        Assert.Equal("/account/login", setupAgain.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task A_weak_password_on_the_setup_page_is_explained_next_to_the_field()
    {
        var client = factory.CreateBrowserClient();
        var response = await Forms.SubmitAsync(client, "/setup", "setup", new Dictionary<string, string>
        {
            ["Input.Email"] = "ana@example.com",
            ["Input.Password"] = "short",
            ["Input.Confirm"] = "short",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("at least 8 characters", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}
