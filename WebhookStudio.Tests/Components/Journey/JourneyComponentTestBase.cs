using WebhookStudio.Features.Account;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>Pages and components over every service of a running studio, with an Admin API client to set the scene.</summary>
public abstract class JourneyComponentTestBase(SharedStudio shared, string role) : StudioComponentTestBase(shared, role)
{
    protected ApiTestClient Api { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Services.AddFallbackServiceProvider(new StudioSingletons(Factory.Services));
        await base.InitializeAsync();
        Api = await ApiTestClient.ForRoleAsync(Factory, StudioRoles.Admin);
    }

    /// <summary>The studio's singletons and transients; a scoped service (a circuit's) comes from bUnit's own container.</summary>
    private sealed class StudioSingletons(IServiceProvider studio) : IServiceProvider
    {
        public object? GetService(Type serviceType)
        {
            try { return studio.GetService(serviceType); }
            catch (InvalidOperationException) { return null; }
        }
    }
}
