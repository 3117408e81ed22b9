using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components;

/// <summary>
/// bUnit over the real feature services of a running studio (its own temp database), signed in with one role
/// and the real policies, with MudBlazor's providers rendered so selects, dialogs and snackbars work.
/// </summary>
public abstract class StudioComponentTestBase : BunitContext, IAsyncLifetime, IClassFixture<SharedStudio>
{
    private readonly SharedStudio shared;

    protected StudioComponentTestBase(SharedStudio shared, string role = StudioRoles.Editor)
    {
        ArgumentNullException.ThrowIfNull(shared);
        this.shared = shared;
        Factory = shared.Use(() => new StudioFactory().With("Outbound:AllowedNetworks:0", "127.0.0.0/8"));
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddAuthorizationBuilder().AddStudioPolicies();
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddCascadingAuthenticationState();
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role.ToLowerInvariant()}@example.com"), new Claim(ClaimTypes.Role, role)], "test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(new ClaimsPrincipal(identity)));
        Services.AddScoped<UserAccess>();
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<SubscriptionService>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<SourceService>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<ConnectorService>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<TemplateVariables>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<ItemService>());
        Services.AddTransient(_ => Factory.Services.GetRequiredService<SubscriptionTester>());
        Services.AddTransient(_ => Factory.Services.GetRequiredService<ConnectorAuthenticator>());
    }

    protected StudioFactory Factory { get; }

    /// <summary>Where open dialogs render.</summary>
    protected IRenderedComponent<MudBlazor.MudDialogProvider> Dialogs { get; private set; } = default!;

    protected T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public virtual async Task InitializeAsync()
    {
        // Starts the class's studio (migrations, seeders) or empties it, before a component asks for a service.
        await shared.ResetAsync();
        Render<MudBlazor.MudPopoverProvider>();
        Dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudSnackbarProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
