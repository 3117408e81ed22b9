namespace WebhookStudio.Tests.Infrastructure;

/// <summary>A fresh studio per test with an Admin API client, for the many tests that drive the inbound API.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected ApiTestBase(StudioFactory? factory = null) => Factory = factory ?? new StudioFactory();

    protected StudioFactory Factory { get; }

    protected ApiTestClient Api { get; private set; } = default!;

    public virtual async Task InitializeAsync() => Api = await ApiTestClient.ForRoleAsync(Factory, "Admin");

    public virtual Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
