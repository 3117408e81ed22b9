using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Storage;

/// <summary>One fresh PostgreSQL database per test class, with one app instance (Admin API client) on it.</summary>
public sealed class PostgresStudioFixture : IAsyncLifetime
{
    public PostgresTestDatabase Database { get; private set; } = default!;

    public StudioFactory Factory { get; private set; } = default!;

    public ApiTestClient Api { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (PostgresServer.ConnectionString is null)
            return; // every test of the class is skipped
        Database = await PostgresServer.CreateDatabaseAsync();
        Factory = Database.CreateFactory();
        Api = await ApiTestClient.ForRoleAsync(Factory, "Admin");
    }

    public async Task DisposeAsync()
    {
        if (Database is null)
            return;
        Factory.Dispose();
        await Database.DisposeAsync();
    }
}
