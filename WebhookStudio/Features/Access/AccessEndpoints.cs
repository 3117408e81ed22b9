using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Access;

public static class AccessEndpoints
{
    public static WebApplicationBuilder AddStudioAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyService>();
        return builder;
    }

    public static WebApplication MapStudioAccess(this WebApplication app)
    {
        app.MapStudioApiGroup("/me", "Access")
            .MapGet("", Me)
            .WithSummary("Who the API key or signed-in user is, and its role");

        var keys = app.MapStudioApiGroup("/api-keys", "Access").RequireAuthorization(StudioPolicies.Administer);
        keys.MapGet("", ListKeys).WithSummary("List API keys (never the keys themselves)");
        keys.MapPost("", CreateKey).WithSummary("Create an API key; the key is in this answer only").ProducesValidationProblem().WithIdempotency();
        keys.MapDelete("/{id:int}", RevokeKey).WithSummary("Revoke an API key");
        return app.MapStudioUsers();
    }

    public sealed record MeResponse(string Name, string Kind, string Role);

    public sealed record ApiKeyResponse(int Id, string Name, string Role, string Prefix, DateTime CreatedAt,
                                        DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
    {
        public static ApiKeyResponse From(ApiKey k) => new(k.Id, k.Name, k.Role.ToLowerInvariant(), k.Prefix, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);
    }

    public sealed record CreateApiKeyRequest(string? Name, string? Role, DateTime? ExpiresAt);

    public sealed record CreatedApiKeyResponse(int Id, string Name, string Role, string Key, DateTime? ExpiresAt);

    private static Ok<MeResponse> Me(ClaimsPrincipal user)
    {
        var kind = user.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName ? "api_key" : "user";
        var role = StudioRoles.All.FirstOrDefault(user.IsInRole) ?? "";
        return TypedResults.Ok(new MeResponse(user.Identity?.Name ?? "", kind, role.ToLowerInvariant()));
    }

    private static async Task<Ok<PagedList<ApiKeyResponse>>> ListKeys(ApiKeyService keys, CancellationToken cancellationToken)
    {
        var all = await keys.ListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<ApiKeyResponse>(all.Select(ApiKeyResponse.From).ToList(), all.Count, 1, all.Count));
    }

    private static async Task<Created<CreatedApiKeyResponse>> CreateKey(CreateApiKeyRequest request, ApiKeyService keys, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Roles arrive lowercase like every enum in the API; the service speaks the role names.
        var role = StudioRoles.All.FirstOrDefault(r => string.Equals(r, request.Role, StringComparison.OrdinalIgnoreCase)) ?? request.Role ?? "";
        var created = await keys.CreateAsync(new NewApiKey(request.Name ?? "", role, request.ExpiresAt?.ToUniversalTime()), user.Identity?.Name, cancellationToken);
        var record = created.Record;
        return TypedResults.Created($"{StudioApi.Prefix}/api-keys/{record.Id}",
            new CreatedApiKeyResponse(record.Id, record.Name, record.Role.ToLowerInvariant(), created.Key, record.ExpiresAt));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeKey(int id, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
