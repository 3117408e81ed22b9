using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebhookStudio.Features.Connectors;

public enum ConnectorKind { Basic, Bearer, ApiKeyHeader, ApiKeyQuery, Oauth2ClientCredentials }

/// <summary>
/// How subscriptions authenticate to a receiver. The one secret (password, token, API key value or client
/// secret) is encrypted with Data Protection and never leaves the server again once saved.
/// </summary>
public sealed class AuthConnector
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public ConnectorKind Kind { get; set; }

    /// <summary>Basic: the user name.</summary>
    public string? Username { get; set; }

    /// <summary>API key: the header or query parameter that carries the key.</summary>
    public string? ParameterName { get; set; }

    /// <summary>OAuth2 client credentials.</summary>
    public string? TokenUrl { get; set; }
    public string? ClientId { get; set; }
    public string? Scope { get; set; }

    public string? SecretProtected { get; set; }
    public DateTime? SecretSetAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class AuthConnectorConfiguration : IEntityTypeConfiguration<AuthConnector>
{
    public void Configure(EntityTypeBuilder<AuthConnector> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.Username).HasMaxLength(500);
        builder.Property(c => c.ParameterName).HasMaxLength(200);
        builder.Property(c => c.TokenUrl).HasMaxLength(2000);
        builder.Property(c => c.ClientId).HasMaxLength(500);
        builder.Property(c => c.Scope).HasMaxLength(1000);
    }
}
