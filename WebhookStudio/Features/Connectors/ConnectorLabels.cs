namespace WebhookStudio.Features.Connectors;

public static class ConnectorLabels
{
    public static string Kind(ConnectorKind kind) => kind switch
    {
        ConnectorKind.Basic => "Basic",
        ConnectorKind.Bearer => "Bearer token",
        ConnectorKind.ApiKeyHeader => "API key in a header",
        ConnectorKind.ApiKeyQuery => "API key in the query",
        _ => "OAuth2 client credentials",
    };

    /// <summary>What the one secret of a connector is called for its kind.</summary>
    public static string Secret(ConnectorKind kind) => kind switch
    {
        ConnectorKind.Basic => "Password",
        ConnectorKind.Bearer => "Token",
        ConnectorKind.ApiKeyHeader or ConnectorKind.ApiKeyQuery => "API key",
        _ => "Client secret",
    };
}
