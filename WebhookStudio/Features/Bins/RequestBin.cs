using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebhookStudio.Features.Bins;

/// <summary>
/// A URL on the studio that accepts any request, keeps it, and answers what the user configured: a way to see
/// exactly what a sender (a subscription, a third-party app) sends, without an outside service.
/// </summary>
public sealed class RequestBin
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The secret part of the bin's URL, <c>/bins/{token}</c>.</summary>
    public required string Token { get; set; }

    public int ResponseStatus { get; set; } = 200;

    /// <summary>Extra response headers as a JSON object of name → value.</summary>
    public string ResponseHeaders { get; set; } = "{}";
    public string ResponseContentType { get; set; } = BinResponse.DefaultContentType;
    public string ResponseBody { get; set; } = "";

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

internal sealed class RequestBinConfiguration : IEntityTypeConfiguration<RequestBin>
{
    public void Configure(EntityTypeBuilder<RequestBin> builder)
    {
        builder.ToTable("RequestBins");
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.Token).HasMaxLength(64);
        builder.HasIndex(b => b.Token).IsUnique();
        builder.Property(b => b.ResponseContentType).HasMaxLength(200);
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
        builder.HasIndex(b => b.CreatedAt);
    }
}
