using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace WebhookStudio.Features.Account;

/// <summary>
/// Server-side permission checks for interactive pages: a button hidden from a Tester is not enough, the
/// handler behind it must refuse too.
/// </summary>
public sealed class UserAccess(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public async Task<bool> AllowsAsync(string policy)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return (await authorization.AuthorizeAsync(state.User, policy)).Succeeded;
    }

    public async Task<string?> UserNameAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    /// <exception cref="NotAllowedException">When the signed-in user may not do this.</exception>
    public async Task DemandAsync(string policy)
    {
        if (!await AllowsAsync(policy))
            throw new NotAllowedException(policy);
    }
}

public sealed class NotAllowedException(string policy)
    : Exception(policy switch
    {
        StudioPolicies.Administer => "Not allowed: only an Admin can do this.",
        StudioPolicies.Edit => "Not allowed: only an Admin or Editor can change this. Testers can look and send tests.",
        _ => "Not allowed.",
    });
