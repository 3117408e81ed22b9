using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using WebhookStudio.Data;
using WebhookStudio.Features.Access;

namespace WebhookStudio.Features.Account;

public static class AccountSetup
{
    /// <summary>The scheme that picks cookies for people and API keys for programs, by what the request carries.</summary>
    private const string StudioScheme = "Studio";

    public static WebApplicationBuilder AddStudioAccount(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<AdminBootstrapOptions>(builder.Configuration.GetSection(AdminBootstrapOptions.Section));

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = StudioScheme;
                options.DefaultChallengeScheme = StudioScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(StudioScheme, "Cookie or API key", options => options.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.CarriesKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/access-denied";
            options.Cookie.Name = "WebhookStudio.Auth";
            // Programs get status codes, people get the sign-in page.
            options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });
        // A disabled user or a changed password ends other sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddIdentityCore<StudioUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<StudioDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder().AddStudioPolicies();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<UserAccess>();
        services.AddSingleton<FirstRunState>();
        services.AddScoped<UserAdministration>();
        services.AddSingleton<IStartupSeeder, FirstRunSeeder>();
        return builder;
    }

    public static WebApplication MapStudioAccount(this WebApplication app)
    {
        app.MapPost("/account/logout", async (SignInManager<StudioUser> signIn, HttpContext context, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(context);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/account/login");
        }).ExcludeFromDescription();
        return app;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

public sealed class AdminBootstrapOptions
{
    public const string Section = "Admin";

    /// <summary>For unattended installs: the first administrator, created only when no user exists.</summary>
    public string? Email { get; set; }
    public string? Password { get; set; }

    /// <summary>For unattended installs: an Admin API key, stored hashed, only when no user exists.</summary>
    public string? ApiKey { get; set; }
}
