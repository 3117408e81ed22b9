using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Access;

namespace WebhookStudio.Features.Account;

/// <summary>Creates the roles, and for unattended installs the first administrator and API key from configuration.</summary>
internal sealed partial class FirstRunSeeder(
    IServiceScopeFactory scopes,
    FirstRunState firstRun,
    ApiKeyService apiKeys,
    IOptions<AdminBootstrapOptions> bootstrap,
    ILogger<FirstRunSeeder> logger) : IStartupSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StudioRoles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if (!await firstRun.NeedsFirstAdminAsync(cancellationToken))
            return;

        var options = bootstrap.Value;
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            await apiKeys.ImportAsync(new NewApiKey("Bootstrap key (configuration)", StudioRoles.Admin, null), options.ApiKey.Trim(), cancellationToken);
            LogBootstrapKey(logger);
        }

        if (!string.IsNullOrWhiteSpace(options.Email) && !string.IsNullOrEmpty(options.Password))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            try
            {
                await users.CreateFirstAdminAsync(options.Email, options.Password, cancellationToken);
                LogBootstrapAdmin(logger, options.Email);
            }
            catch (ValidationException invalid)
            {
                LogBootstrapAdminRefused(logger, invalid.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator {Email} from configuration.")]
    private static partial void LogBootstrapAdmin(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored the bootstrap API key from configuration (role Admin).")]
    private static partial void LogBootstrapKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The first administrator in configuration (Admin:Email, Admin:Password) was refused: {Reason}")]
    private static partial void LogBootstrapAdminRefused(ILogger logger, string reason);
}
