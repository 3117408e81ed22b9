using Microsoft.AspNetCore.Authorization;

namespace WebhookStudio.Features.Account;

public static class StudioRoles
{
    /// <summary>Everything, including users and API keys.</summary>
    public const string Admin = "Admin";

    /// <summary>Configures sources, subscriptions and connectors.</summary>
    public const string Editor = "Editor";

    /// <summary>Sees everything and sends test requests; changes nothing.</summary>
    public const string Tester = "Tester";

    public static readonly IReadOnlyList<string> All = [Admin, Editor, Tester];

    public static string Describe(string role) => role switch
    {
        Admin => "Everything, including users and API keys",
        Editor => "Configure sources, subscriptions and connectors",
        Tester => "See everything and send test requests; change nothing",
        _ => role,
    };
}

/// <summary>Authorization policy names. Each one names who may do something, so pages and endpoints say the same.</summary>
public static class StudioPolicies
{
    /// <summary>Any signed-in user or API key (Admin, Editor or Tester).</summary>
    public const string View = "View";

    /// <summary>Change configuration: Admin or Editor.</summary>
    public const string Edit = "Edit";

    /// <summary>Manage users and API keys, see the job dashboard: Admin.</summary>
    public const string Administer = "Administer";

    public static AuthorizationBuilder AddStudioPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(View, p => p.RequireRole(StudioRoles.All))
        .AddPolicy(Edit, p => p.RequireRole(StudioRoles.Admin, StudioRoles.Editor))
        .AddPolicy(Administer, p => p.RequireRole(StudioRoles.Admin));
}
