using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;

namespace WebhookStudio.Features.Account;

public sealed record UserSummary(string Id, string Email, string Role, DateTime CreatedAt, bool Disabled, bool LockedOut);

/// <summary>
/// Creating users, setting roles and disabling accounts. Each operation runs in its own DI scope, so the
/// Identity stores see fresh data even when called from a long-lived Blazor circuit.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, FirstRunState firstRun, TimeProvider clock)
{
    public async Task<StudioUser> CreateFirstAdminAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        await firstRun.SetupLock.WaitAsync(cancellationToken);
        try
        {
            if (!await firstRun.NeedsFirstAdminAsync(cancellationToken))
                throw new ValidationException("email", "An administrator already exists; sign in instead.");
            var user = await CreateAsync(email, password, StudioRoles.Admin, cancellationToken);
            firstRun.MarkUserCreated();
            return user;
        }
        finally
        {
            firstRun.SetupLock.Release();
        }
    }

    public async Task<StudioUser> CreateAsync(string email, string password, string role, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!StudioRoles.All.Contains(role))
            throw new ValidationException("role", $"Role must be one of: {string.Join(", ", StudioRoles.All)}.");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
            throw new ValidationException("email", "Enter an email address, e.g. ana@example.com.");

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var user = new StudioUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            throw ToValidation(created);
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
            throw ToValidation(added);
        firstRun.MarkUserCreated();
        return user;
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.StudioDbContext>();
        var now = clock.GetUtcNow();
        var rows = await (from u in db.Users.AsNoTracking()
                          join ur in db.UserRoles on u.Id equals ur.UserId into userRoles
                          from ur in userRoles.DefaultIfEmpty()
                          join r in db.Roles on ur.RoleId equals r.Id into roles
                          from r in roles.DefaultIfEmpty()
                          orderby u.Email
                          select new { u.Id, u.Email, Role = r == null ? "" : r.Name, u.CreatedAt, u.DisabledAt, u.LockoutEnd })
                         .ToListAsync(cancellationToken);
        return rows.Select(u => new UserSummary(u.Id, u.Email ?? "", u.Role ?? "", u.CreatedAt, u.DisabledAt is not null,
                                                u.DisabledAt is null && u.LockoutEnd > now)).ToList();
    }

    public async Task SetRoleAsync(string userId, string role, CancellationToken cancellationToken = default)
    {
        if (!StudioRoles.All.Contains(role))
            throw new ValidationException("role", $"Role must be one of: {string.Join(", ", StudioRoles.All)}.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var user = await FindAsync(users, userId);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(StudioRoles.Admin) && role != StudioRoles.Admin)
            await EnsureAnotherActiveAdminAsync(users, user);
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        // The role is a claim in the cookie: a new stamp makes open sessions pick up the change.
        await users.UpdateSecurityStampAsync(user);
    }

    public async Task SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var user = await FindAsync(users, userId);
        if (disabled && await users.IsInRoleAsync(user, StudioRoles.Admin))
            await EnsureAnotherActiveAdminAsync(users, user);

        user.DisabledAt = disabled ? clock.GetUtcNow().UtcDateTime : null;
        // Identity's lockout is what sign-in checks, so a disabled account is locked out indefinitely.
        user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
        await users.UpdateAsync(user);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
    }

    private static async Task<StudioUser> FindAsync(UserManager<StudioUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new ValidationException("user", "There is no such user.");

    private static async Task EnsureAnotherActiveAdminAsync(UserManager<StudioUser> users, StudioUser user)
    {
        var admins = await users.GetUsersInRoleAsync(StudioRoles.Admin);
        if (!admins.Any(a => a.Id != user.Id && a.DisabledAt is null))
            throw new ValidationException("role", "This is the last active administrator; make someone else an Admin first.");
    }

    private static ValidationException ToValidation(IdentityResult result) =>
        new(result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password"
                        : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email" : "user")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
}
