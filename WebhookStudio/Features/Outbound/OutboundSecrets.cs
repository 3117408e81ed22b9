using Microsoft.AspNetCore.DataProtection;

namespace WebhookStudio.Features.Outbound;

/// <summary>
/// Encrypts the outbound secrets at rest with Data Protection, one purpose per kind (as <c>SourceSecrets</c>
/// does for inbound verification), so a value protected for one use cannot be unprotected for another.
/// </summary>
public sealed class OutboundSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector signing = provider.CreateProtector("WebhookStudio.Subscriptions.Signing");
    private readonly IDataProtector connectors = provider.CreateProtector("WebhookStudio.Connectors.Secret");

    public string ProtectSigning(string secret) => signing.Protect(secret);

    public string UnprotectSigning(string protectedSecret) => signing.Unprotect(protectedSecret);

    public string ProtectConnector(string secret) => connectors.Protect(secret);

    public string UnprotectConnector(string protectedSecret) => connectors.Unprotect(protectedSecret);
}
