namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// The tests of a class on one studio (<see cref="SharedStudio"/>), emptied before each test; <paramref name="create"/>
/// gives the studio's settings.
/// </summary>
public abstract class SharedStudioTests(SharedStudio shared, Func<StudioFactory>? create = null) : IAsyncLifetime, IClassFixture<SharedStudio>
{
    protected StudioFactory Factory { get; } = shared.Use(create ?? (() => new StudioFactory()));

    public virtual Task InitializeAsync() => shared.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>A shared studio with a fresh Admin API client per test, for the many tests that drive the API.</summary>
public abstract class ApiTestBase(SharedStudio shared, Func<StudioFactory>? create = null) : SharedStudioTests(shared, create)
{
    protected ApiTestClient Api { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Api = await ApiTestClient.ForRoleAsync(Factory, "Admin");
    }
}
