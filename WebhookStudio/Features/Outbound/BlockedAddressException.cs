using System.Net;

namespace WebhookStudio.Features.Outbound;

/// <summary>Thrown at connect time when a host resolves to an address the <see cref="AddressGuard"/> refuses.</summary>
public sealed class BlockedAddressException(string host, IPAddress address, string why)
    : Exception($"{host} resolves to {address}, {why}.")
{
    public string Host { get; } = host;
    public IPAddress Address { get; } = address;
    public string Why { get; } = why;
}
