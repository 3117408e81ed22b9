using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>
/// Token → receiver profile, cached. Any change to a source here calls <see cref="Invalidate"/>. Other instances on a
/// shared database do not hear of it, so an entry is also re-read after a few seconds: a rotated token or a new
/// secret takes effect everywhere within <see cref="LifetimeMs"/>, for one read per token per lifetime.
/// </summary>
public sealed class ReceiverDirectory(IDbContextFactory<StudioDbContext> contexts, SourceSecrets secrets)
{
    private const long LifetimeMs = 5_000;

    private readonly ConcurrentDictionary<string, (ReceiverProfile Profile, long LoadedAt)> byToken = new(StringComparer.Ordinal);

    public async ValueTask<ReceiverProfile?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (byToken.TryGetValue(token, out var cached) && Environment.TickCount64 - cached.LoadedAt < LifetimeMs)
            return cached.Profile;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Token == token && s.DeletedAt == null, cancellationToken);
        var profile = source is null ? null : ProfileOf(source);
        // Unknown tokens are not cached: a scanner could fill memory with them.
        if (profile is not null)
            byToken[token] = (profile, Environment.TickCount64);
        else
            byToken.TryRemove(token, out _);
        return profile;
    }

    public void Invalidate() => byToken.Clear();

    private ReceiverProfile ProfileOf(Source source)
    {
        string? storedReason = null;
        if (string.IsNullOrEmpty(source.IdPath))
            storedReason = "Stored only: the source is awaiting setup (no unique id chosen yet).";
        else if (!source.LiveStream)
            storedReason = "Stored only: the live stream is off.";

        return new ReceiverProfile(source.Id, source.App, storedReason is null, storedReason, secrets.VerificationOf(source), source.DedupKey);
    }
}

/// <summary>Sources' secrets (inbound verification) are encrypted at rest with Data Protection.</summary>
public sealed class SourceSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("WebhookStudio.Sources.Verification");

    public string? Protect(string? secret) => string.IsNullOrEmpty(secret) ? null : protector.Protect(secret);

    public string? Unprotect(string? protectedSecret) => protectedSecret is null ? null : protector.Unprotect(protectedSecret);

    /// <summary>A source's verification with its secrets decrypted, as the receiver checks requests with it.</summary>
    public VerificationSettings VerificationOf(Source source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new VerificationSettings
        {
            Kind = source.VerificationKind,
            Secret = Unprotect(source.VerificationSecretProtected) ?? "",
            HeaderName = source.VerificationHeader,
            VerifyToken = Unprotect(source.VerifyTokenProtected),
            Custom = CustomSignatures.Read(source.VerificationCustom),
            Tolerance = TimeSpan.FromSeconds(source.VerificationToleranceSeconds),
        };
    }

    /// <summary>"••••" and the secret's last 4 characters (only "••••" for a secret under 12); null when none is saved.</summary>
    public string? Masked(string? protectedSecret) => Unprotect(protectedSecret) is { } secret ? Mask(secret) : null;

    public static string Mask(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        // A short secret would give a third or more of itself away.
        return secret.Length >= 12 ? SensitiveHeaders.MaskPrefix + secret[^4..] : SensitiveHeaders.MaskPrefix;
    }
}
