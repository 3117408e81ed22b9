using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Features.Connectors;

/// <summary>What a user enters for a connector; a null <see cref="Secret"/> on update keeps the saved one.</summary>
public sealed record ConnectorInput(
    string? Name, ConnectorKind? Kind, string? Username = null, string? ParameterName = null,
    string? TokenUrl = null, string? ClientId = null, string? Scope = null, string? Secret = null);

/// <summary>A connector as it may be shown: the secret only as "set on &lt;date&gt;", with the subscriptions using it.</summary>
public sealed record ConnectorView(
    int Id, string Name, ConnectorKind Kind, string? Username, string? ParameterName, string? TokenUrl, string? ClientId, string? Scope,
    bool SecretSet, DateTime? SecretSetAt, string SecretHint, IReadOnlyList<string> UsedBy, DateTime CreatedAt, DateTime UpdatedAt);

public enum ConnectorDeleteOutcome { Deleted, NotFound, InUse }

public sealed record ConnectorDeleteResult(ConnectorDeleteOutcome Outcome, IReadOnlyList<string> UsedBy);

/// <summary>Everything the Connectors page and the API do to auth connectors.</summary>
public sealed class ConnectorService(IDbContextFactory<StudioDbContext> contexts, OutboundSecrets secrets, OAuthTokenCache tokens, TimeProvider clock)
{
    public async Task<IReadOnlyList<ConnectorView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connectors = await db.Connectors.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var users = await UsersAsync(db, null, cancellationToken);
        return connectors.Select(c => View(c, users.GetValueOrDefault(c.Id) ?? [])).ToList();
    }

    public async Task<ConnectorView?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connector = await db.Connectors.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return connector is null ? null : View(connector, (await UsersAsync(db, id, cancellationToken)).GetValueOrDefault(id) ?? []);
    }

    public async Task<ConnectorView> CreateAsync(ConnectorInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = clock.GetUtcNow().UtcDateTime;
        var connector = new AuthConnector { Name = "", CreatedAt = now };
        Apply(connector, input, now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Connectors.Add(connector);
        await db.SaveChangesAsync(cancellationToken);
        return View(connector, []);
    }

    /// <returns>Null when there is no such connector.</returns>
    public async Task<ConnectorView?> UpdateAsync(int id, ConnectorInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connector = await db.Connectors.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (connector is null) return null;
        Apply(connector, input, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        tokens.Forget(id);
        return View(connector, (await UsersAsync(db, id, cancellationToken)).GetValueOrDefault(id) ?? []);
    }

    /// <summary>Refused while any subscription (deleted ones too, which can be restored) uses the connector.</summary>
    public async Task<ConnectorDeleteResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Connectors.AnyAsync(c => c.Id == id, cancellationToken))
            return new(ConnectorDeleteOutcome.NotFound, []);
        var users = (await UsersAsync(db, id, cancellationToken)).GetValueOrDefault(id) ?? [];
        if (users.Count > 0)
            return new(ConnectorDeleteOutcome.InUse, users);
        await db.Connectors.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        tokens.Forget(id);
        return new(ConnectorDeleteOutcome.Deleted, []);
    }

    private static async Task<Dictionary<int, List<string>>> UsersAsync(StudioDbContext db, int? id, CancellationToken cancellationToken)
    {
        var users = await db.Subscriptions.AsNoTracking()
            .Where(s => s.ConnectorId != null && (id == null || s.ConnectorId == id))
            .OrderBy(s => s.Name)
            .Select(s => new { ConnectorId = s.ConnectorId!.Value, s.Id, s.Name, s.DeletedAt })
            .ToListAsync(cancellationToken);
        return users.GroupBy(u => u.ConnectorId).ToDictionary(g => g.Key,
            g => g.Select(u => $"{u.Name} (#{u.Id}{(u.DeletedAt is null ? "" : ", deleted")})").ToList());
    }

    private void Apply(AuthConnector connector, ConnectorInput input, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["Give the connector a name, e.g. \"CRM API key\"."];
        else if (name.Length > 200) errors["name"] = ["A name has at most 200 characters."];
        if (input.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors["kind"] = ["kind is one of: basic, bearer, api_key_header, api_key_query, oauth2_client_credentials."];
            throw new ValidationException(errors);
        }
        var secret = string.IsNullOrEmpty(input.Secret) ? null : input.Secret;
        var hasSecret = secret is not null || (connector.SecretProtected is not null && connector.Kind == kind);
        string Trimmed(string? text) => text?.Trim() ?? "";

        switch (kind)
        {
            case ConnectorKind.Basic:
                if (Trimmed(input.Username).Length == 0) errors["username"] = ["Enter the user name."];
                else if (input.Username!.Contains(':', StringComparison.Ordinal)) errors["username"] = ["A Basic user name cannot contain ':'."];
                if (!hasSecret) errors["secret"] = ["Enter the password."];
                break;
            case ConnectorKind.Bearer:
                if (!hasSecret) errors["secret"] = ["Enter the token."];
                break;
            case ConnectorKind.ApiKeyHeader:
                if (!HttpTokens.IsToken(Trimmed(input.ParameterName))) errors["parameterName"] = ["Enter the header name, e.g. X-Api-Key (letters, digits and - only)."];
                else if (HttpTokens.Reserved.Contains(Trimmed(input.ParameterName))) errors["parameterName"] = [$"{input.ParameterName} is set by the studio itself."];
                if (!hasSecret) errors["secret"] = ["Enter the API key."];
                break;
            case ConnectorKind.ApiKeyQuery:
                if (Trimmed(input.ParameterName).Length == 0) errors["parameterName"] = ["Enter the query parameter name, e.g. api_key."];
                if (!hasSecret) errors["secret"] = ["Enter the API key."];
                break;
            case ConnectorKind.Oauth2ClientCredentials:
                if (!Uri.TryCreate(Trimmed(input.TokenUrl), UriKind.Absolute, out var tokenUrl) || tokenUrl.Scheme is not ("http" or "https"))
                    errors["tokenUrl"] = ["Enter the token URL, an absolute http(s) address such as https://auth.example.com/oauth/token."];
                if (Trimmed(input.ClientId).Length == 0) errors["clientId"] = ["Enter the client id."];
                if (!hasSecret) errors["secret"] = ["Enter the client secret."];
                break;
        }
        if (secret is not null && !HttpTokens.IsSafeValue(secret))
            errors["secret"] = ["The secret cannot contain line breaks."];
        if (errors.Count > 0)
            throw new ValidationException(errors);

        connector.Name = name!;
        connector.Kind = kind;
        connector.Username = kind == ConnectorKind.Basic ? Trimmed(input.Username) : null;
        connector.ParameterName = kind is ConnectorKind.ApiKeyHeader or ConnectorKind.ApiKeyQuery ? Trimmed(input.ParameterName) : null;
        connector.TokenUrl = kind == ConnectorKind.Oauth2ClientCredentials ? Trimmed(input.TokenUrl) : null;
        connector.ClientId = kind == ConnectorKind.Oauth2ClientCredentials ? Trimmed(input.ClientId) : null;
        connector.Scope = kind == ConnectorKind.Oauth2ClientCredentials && !string.IsNullOrWhiteSpace(input.Scope) ? input.Scope.Trim() : null;
        if (secret is not null)
        {
            connector.SecretProtected = secrets.ProtectConnector(secret);
            connector.SecretSetAt = now;
        }
        connector.UpdatedAt = now;
    }

    private static ConnectorView View(AuthConnector c, IReadOnlyList<string> usedBy) => new(
        c.Id, c.Name, c.Kind, c.Username, c.ParameterName, c.TokenUrl, c.ClientId, c.Scope,
        c.SecretProtected is not null, c.SecretSetAt,
        c.SecretSetAt is { } at ? $"••••, set {at:yyyy-MM-dd HH:mm} UTC" : "not set",
        usedBy, c.CreatedAt, c.UpdatedAt);
}
