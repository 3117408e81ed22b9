using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>What the receiver needs to know of a source, read once and cached: the hot path touches no table for it.</summary>
/// <param name="App">The source's catalog app key, which names the handshake it answers.</param>
public sealed record ReceiverProfile(
    int SourceId,
    string App,
    bool Processes,
    string? StoredReason,
    VerificationSettings Verification,
    string? DedupKey);
