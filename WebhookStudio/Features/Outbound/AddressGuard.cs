using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace WebhookStudio.Features.Outbound;

/// <summary>
/// Decides which IP addresses the sender may connect to, so a subscription URL cannot be used to reach the
/// studio's own machine, the cloud metadata service or (by default) the internal network. It judges
/// addresses, never host names: the sender resolves the name and asks about every address it got back.
/// </summary>
public sealed class AddressGuard
{
    private static readonly (IPNetwork Network, string Why)[] AlwaysRefused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address (this machine)"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (e.g. the cloud metadata service)"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved or broadcast address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address (this machine)"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
        // Teredo hides the IPv4 address it reaches (XOR-ed), so it cannot be vetted.
        (IPNetwork.Parse("2001::/32"), "a Teredo tunnel address"),
    ];

    private static readonly (IPNetwork Network, string Why)[] Private =
    [
        (IPNetwork.Parse("10.0.0.0/8"), "a private network address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private network address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private network address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("fc00::/7"), "a private network address"),
        (IPNetwork.Parse("fec0::/10"), "a private (site-local) address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");

    private readonly bool blockPrivate;
    private readonly IPNetwork[] allowed;

    public AddressGuard(IOptions<OutboundOptions> options)
        : this(options.Value.BlockPrivateNetworks, options.Value.AllowedNetworks) { }

    public AddressGuard(bool blockPrivateNetworks, IEnumerable<string> allowedNetworks)
    {
        blockPrivate = blockPrivateNetworks;
        allowed = allowedNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(ParseNetwork).ToArray();
    }

    /// <returns>Null when the sender may connect; otherwise why not, in words for the user.</returns>
    public string? Refuse(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var embedded = EmbeddedIPv4(address);
        if (allowed.Any(n => n.Contains(address) || embedded is not null && n.Contains(embedded)))
            return null;
        return Judge(address) ?? (embedded is null ? null : Judge(embedded));
    }

    private string? Judge(IPAddress address)
    {
        foreach (var (network, why) in AlwaysRefused)
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
                return why;
        if (blockPrivate)
            foreach (var (network, why) in Private)
                if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
                    return why;
        return null;
    }

    /// <summary>The IPv4 address an IPv6 form carries (mapped, IPv4-compatible, NAT64, 6to4), which is where packets end up.</summary>
    internal static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return null;
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || Nat64Local.Contains(address))
            return new IPAddress(bytes.AsSpan(12, 4));
        if (SixToFour.Contains(address))
            return new IPAddress(bytes.AsSpan(2, 4));
        // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 themselves are judged as IPv6.
        if (Ipv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
            return new IPAddress(bytes.AsSpan(12, 4));
        return null;
    }

    private static IPNetwork ParseNetwork(string text)
    {
        var trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out var network))
            return network;
        if (IPAddress.TryParse(trimmed, out var single))
            return new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        throw new OptionsValidationException(OutboundOptions.Section, typeof(OutboundOptions),
            [$"Outbound:AllowedNetworks: '{text}' is not a CIDR range such as 10.1.2.0/24."]);
    }
}
