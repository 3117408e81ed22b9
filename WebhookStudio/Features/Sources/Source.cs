using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources;

public enum SourceStatus { AwaitingFirstPayload, Configured }

/// <summary>How an entity becomes an item: update the item with the same id, or always build a new one.</summary>
public enum FetchMode { Update, New }

/// <summary>An inbound webhook: a receiver URL, and how its payloads become items.</summary>
public sealed class Source
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>A catalog entry ("stripe", "github") or "custom".</summary>
    public string App { get; set; } = "custom";

    /// <summary>The secret part of the receiver URL: 128 random bits or more, rotatable.</summary>
    public required string Token { get; set; }

    public SourceStatus Status { get; set; } = SourceStatus.AwaitingFirstPayload;

    /// <summary>Nothing has arrived yet: the status says so until setup ends, and no payload is stored.</summary>
    public bool AwaitsFirstPayload => Status == SourceStatus.AwaitingFirstPayload && LastPayloadAt is null;
    public bool LiveStream { get; set; }

    public string EntityPath { get; set; } = EntityMapping.WholePayload;
    public string? IdPath { get; set; }
    public string? TitlePath { get; set; }
    public FetchMode FetchMode { get; set; } = FetchMode.Update;

    /// <summary>The condition group in its stable JSON form; null accepts every payload.</summary>
    public string? Filter { get; set; }

    public VerificationKind VerificationKind { get; set; } = VerificationKind.None;
    public string? VerificationHeader { get; set; }

    /// <summary>Encrypted with Data Protection; never leaves the server in clear.</summary>
    public string? VerificationSecretProtected { get; set; }
    public int VerificationToleranceSeconds { get; set; } = 300;

    /// <summary>Meta's verify token, encrypted like the secret.</summary>
    public string? VerifyTokenProtected { get; set; }

    /// <summary>The custom signature's description (<see cref="CustomSignature"/> as JSON); its header is <see cref="VerificationHeader"/>.</summary>
    public string? VerificationCustom { get; set; }

    /// <summary>A request header (e.g. <c>webhook-id</c>) or a JSONPath (starting with <c>$</c>) whose repeated value marks a duplicate.</summary>
    public string? DedupKey { get; set; }

    /// <summary>Overrides the global payload retention.</summary>
    public int? RetentionDays { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastPayloadAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public EntityMapping Mapping => new(EntityPath, IdPath ?? "", TitlePath);
}

internal sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.App).HasMaxLength(50);
        builder.Property(s => s.Token).HasMaxLength(64);
        builder.HasIndex(s => s.Token).IsUnique();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(s => s.FetchMode).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.VerificationKind).HasConversion<string>().HasMaxLength(30);
        builder.Ignore(s => s.Mapping);
    }
}
