using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Access;

/// <summary>The Users page's door for Admin API keys: list, invite, change a role, disable or enable.</summary>
public static class UserEndpoints
{
    public sealed record UserResponse(string Id, string Email, string Role, DateTime CreatedAt, bool Disabled, bool LockedOut)
    {
        public static UserResponse From(UserSummary u) => new(u.Id, u.Email, u.Role.ToLowerInvariant(), u.CreatedAt, u.Disabled, u.LockedOut);
    }

    public sealed record CreateUserRequest(string? Email, string? Password, string? Role);

    /// <summary>Either or both; a field left out stays as it is.</summary>
    public sealed record UpdateUserRequest(string? Role, bool? Disabled);

    public static WebApplication MapStudioUsers(this WebApplication app)
    {
        var users = app.MapStudioApiGroup("/users", "Access").RequireAuthorization(StudioPolicies.Administer);
        users.MapGet("", List).WithSummary("List the studio's users with their roles (Admin)");
        users.MapPost("", Create).WithSummary("Create a user with a password and a role: admin, editor or tester (Admin)")
            .ProducesValidationProblem().WithIdempotency();
        users.MapPatch("/{id}", Update).WithSummary("Change a user's role, or disable / enable the account (Admin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<PagedList<UserResponse>>> List(UserAdministration users, CancellationToken cancellationToken)
    {
        var all = await users.ListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<UserResponse>(all.Select(UserResponse.From).ToList(), all.Count, 1, Math.Max(1, all.Count)));
    }

    private static async Task<Created<UserResponse>> Create(CreateUserRequest request, UserAdministration users, CancellationToken cancellationToken)
    {
        var created = await users.CreateAsync(request.Email ?? "", request.Password ?? "", RoleName(request.Role), cancellationToken);
        var summary = (await users.ListAsync(cancellationToken)).First(u => u.Id == created.Id);
        return TypedResults.Created($"/api/v1/users/{created.Id}", UserResponse.From(summary));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Update(
        string id, UpdateUserRequest request, UserAdministration users, CancellationToken cancellationToken)
    {
        if ((await users.ListAsync(cancellationToken)).All(u => u.Id != id))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown user", detail: $"There is no user with id '{id}'.");
        if (request.Role is null && request.Disabled is null)
            throw new ValidationException("role", "Give a role, disabled, or both.");
        if (request.Role is not null)
            await users.SetRoleAsync(id, RoleName(request.Role), cancellationToken);
        if (request.Disabled is { } disabled)
            await users.SetDisabledAsync(id, disabled, cancellationToken);
        return TypedResults.Ok(UserResponse.From((await users.ListAsync(cancellationToken)).First(u => u.Id == id)));
    }

    // Roles arrive lowercase like every enum in the API; the service speaks the role names.
    private static string RoleName(string? role) =>
        StudioRoles.All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase)) ?? role ?? "";
}
