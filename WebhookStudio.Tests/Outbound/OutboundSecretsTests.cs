using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Tests.Outbound;

/// <summary>Secrets kept unprotected in memory must still be what was protected, for the purpose it was protected for.</summary>
public sealed class OutboundSecretsTests
{
    private readonly OutboundSecrets secrets = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void A_secret_unprotects_to_itself_every_time_and_a_new_secret_is_a_new_entry()
    {
        var first = secrets.ProtectSigning("whsec_first");
        var second = secrets.ProtectSigning("whsec_second");

        Assert.Equal("whsec_first", secrets.UnprotectSigning(first));
        Assert.Equal("whsec_first", secrets.UnprotectSigning(first));
        Assert.Equal("whsec_second", secrets.UnprotectSigning(second));
        Assert.Equal("client-secret", secrets.UnprotectConnector(secrets.ProtectConnector("client-secret")));
    }

    [Fact]
    public void A_secret_kept_for_one_purpose_is_not_given_out_for_the_other_and_a_tampered_one_fails()
    {
        var signing = secrets.ProtectSigning("whsec_signing");
        Assert.Equal("whsec_signing", secrets.UnprotectSigning(signing));

        Assert.ThrowsAny<CryptographicException>(() => secrets.UnprotectConnector(signing));
        Assert.ThrowsAny<CryptographicException>(() => secrets.UnprotectSigning(signing[..^4] + "AAAA"));
    }
}
