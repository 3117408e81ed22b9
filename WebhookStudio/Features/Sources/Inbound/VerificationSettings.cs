using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace WebhookStudio.Features.Sources.Inbound;

public enum VerificationKind
{
    None,

    /// <summary>A header (<see cref="VerificationSettings.HeaderName"/>) carries the secret itself.</summary>
    SharedSecretHeader,

    /// <summary>standardwebhooks.com: webhook-id, webhook-timestamp, webhook-signature.</summary>
    StandardWebhooks,

    /// <summary>X-Hub-Signature-256.</summary>
    // One word in the API, as users write it; the snake_case policy alone would make it "git_hub".
    [JsonStringEnumMemberName("github")]
    GitHub,

    /// <summary>Stripe-Signature.</summary>
    Stripe,
}

/// <summary>How a source checks that a payload comes from its sender.</summary>
public sealed record VerificationSettings
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public VerificationKind Kind { get; init; }

    public string Secret { get; init; } = "";

    /// <summary>Only for <see cref="VerificationKind.SharedSecretHeader"/>, e.g. <c>X-Webhook-Token</c>.</summary>
    public string? HeaderName { get; init; }

    /// <summary>How far a signed timestamp may be from now, either way, before it counts as a replay.</summary>
    public TimeSpan Tolerance { get; init; } = DefaultTolerance;

    // The secret stays out of logs and exception messages that print the settings.
    public override string ToString() =>
        $"{nameof(VerificationSettings)} {{ Kind = {Kind}, HeaderName = {HeaderName}, Tolerance = {Tolerance} }}";
}

public sealed record VerificationResult
{
    public static readonly VerificationResult Ok = new((string?)null);

    private VerificationResult(string? failureReason) => FailureReason = failureReason;

    /// <summary>Why verification failed, in words a user can act on; null when it passed.</summary>
    public string? FailureReason { get; }

    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool IsValid => FailureReason is null;

    public static VerificationResult Fail(string reason) => new(reason);
}
