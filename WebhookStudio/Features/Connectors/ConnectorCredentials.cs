using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Features.Connectors;

/// <summary>A connector with its secret decrypted, for the moment a request is built. Never stored, never logged.</summary>
public sealed record ConnectorCredentials(AuthConnector Connector, string Secret)
{
    public override string ToString() => $"ConnectorCredentials {{ {Connector.Name} ({Connector.Kind}), secret •••• }}";
}

/// <summary>What a connector adds to a request: headers, query parameters, and the values to mask.</summary>
public sealed record AppliedAuth(IReadOnlyList<HeaderLine> Headers, IReadOnlyList<KeyValuePair<string, string>> Query, IReadOnlyList<string> Secrets, string? Error)
{
    public static readonly AppliedAuth None = new([], [], [], null);
}

/// <summary>OAuth2 access tokens per connector, until shortly before they expire.</summary>
public sealed class OAuthTokenCache
{
    private readonly ConcurrentDictionary<int, (string Token, DateTimeOffset Until)> tokens = new();

    public bool TryGet(int connectorId, DateTimeOffset now, out string token)
    {
        token = "";
        if (!tokens.TryGetValue(connectorId, out var entry) || entry.Until <= now)
            return false;
        token = entry.Token;
        return true;
    }

    public void Store(int connectorId, string token, DateTimeOffset until) => tokens[connectorId] = (token, until);

    public void Forget(int connectorId) => tokens.TryRemove(connectorId, out _);
}

/// <summary>Loads a connector's credentials and turns them into request headers or query parameters.</summary>
public sealed class ConnectorAuthenticator(
    IDbContextFactory<StudioDbContext> contexts, OutboundSecrets secrets, OAuthTokenCache cache, OutboundSender sender, TimeProvider clock)
{
    public async Task<ConnectorCredentials?> LoadAsync(int? connectorId, CancellationToken cancellationToken = default)
    {
        if (connectorId is not { } id)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connector = await db.Connectors.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return connector?.SecretProtected is null ? null : new ConnectorCredentials(connector, secrets.UnprotectConnector(connector.SecretProtected));
    }

    /// <param name="fetchToken">False for an Example: OAuth2 shows a stand-in instead of fetching a token.</param>
    /// <param name="refresh">Fetch a new OAuth2 token even when one is cached (after a 401).</param>
    public async Task<AppliedAuth> ApplyAsync(ConnectorCredentials? credentials, bool fetchToken, bool refresh = false, CancellationToken cancellationToken = default)
    {
        if (credentials is null)
            return AppliedAuth.None;
        var (connector, secret) = credentials;
        switch (connector.Kind)
        {
            case ConnectorKind.Basic:
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connector.Username}:{secret}"));
                return new([new("Authorization", "Basic " + basic)], [], [secret, basic], null);
            case ConnectorKind.Bearer:
                return new([new("Authorization", "Bearer " + secret)], [], [secret], null);
            case ConnectorKind.ApiKeyHeader:
                return new([new(connector.ParameterName!, secret)], [], [secret], null);
            case ConnectorKind.ApiKeyQuery:
                return new([], [new(connector.ParameterName!, secret)], [secret], null);
            default:
                if (!fetchToken)
                    return new([new("Authorization", "Bearer (an OAuth2 token is fetched when sending)")], [], [secret], null);
                var (token, error) = await TokenAsync(credentials, refresh, cancellationToken);
                return token is null
                    ? new([], [], [secret], error)
                    : new([new("Authorization", "Bearer " + token)], [], [secret, token], null);
        }
    }

    /// <summary>The client-credentials grant through the same guarded sender, the client secret in the form body.</summary>
    private async Task<(string? Token, string? Error)> TokenAsync(ConnectorCredentials credentials, bool refresh, CancellationToken cancellationToken)
    {
        var connector = credentials.Connector;
        var now = clock.GetUtcNow();
        if (!refresh && cache.TryGet(connector.Id, now, out var cached))
            return (cached, null);

        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("client_id", connector.ClientId ?? ""),
            new("client_secret", credentials.Secret),
        };
        if (connector.Scope is { } scope)
            form.Add(new("scope", scope));
        using var content = new FormUrlEncodedContent(form);
        var body = await content.ReadAsByteArrayAsync(cancellationToken);
        var request = new OutboundRequest(HttpMethod.Post, new Uri(connector.TokenUrl!), [new("Accept", "application/json")], body, "application/x-www-form-urlencoded")
            { Secrets = [credentials.Secret] };
        var result = await sender.SendAsync(request, cancellationToken);
        if (!result.Succeeded)
            return (null, $"Getting an OAuth2 token from {request.Url.Host} failed. {result.Error}");
        try
        {
            using var document = JsonDocument.Parse(result.Response!.Body);
            var root = document.RootElement;
            if (!root.TryGetProperty("access_token", out var accessToken) || accessToken.ValueKind != JsonValueKind.String)
                return (null, $"The token endpoint {request.Url.Host} answered without an access_token.");
            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(1);
            // Renew a minute early (less for short-lived tokens) so a token never expires on its way to the receiver.
            var margin = TimeSpan.FromSeconds(Math.Min(60, lifetime.TotalSeconds / 10));
            cache.Store(connector.Id, accessToken.GetString()!, now + lifetime - margin);
            return (accessToken.GetString(), null);
        }
        catch (JsonException)
        {
            return (null, $"The token endpoint {request.Url.Host} did not answer JSON.");
        }
    }

    public void Forget(int connectorId) => cache.Forget(connectorId);

}
