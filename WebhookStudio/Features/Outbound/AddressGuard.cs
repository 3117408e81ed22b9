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
    /// <summary>The one rule for <c>Outbound:AllowedNetworks</c>, in the words the blocked-address message and the README use.</summary>
    public const string AllowedNetworksRule =
        "Outbound:AllowedNetworks can open loopback, this machine's own addresses and private ranges; link-local addresses "
        + "(the cloud metadata service), unspecified, multicast and reserved addresses are never reachable.";

    /// <summary>Refused whatever <c>Outbound:AllowedNetworks</c> says: no webhook receiver lives there.</summary>
    private static readonly (IPNetwork Network, string Why)[] Never =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (e.g. the cloud metadata service)"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved or broadcast address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
        // Teredo hides the IPv4 address it reaches (XOR-ed), so it cannot be vetted.
        (IPNetwork.Parse("2001::/32"), "a Teredo tunnel address"),
    ];

    /// <summary>Refused unless listed in <c>Outbound:AllowedNetworks</c> (tests and local tools need loopback).</summary>
    private static readonly (IPNetwork Network, string Why)[] Loopback =
    [
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address (this machine)"),
        (IPNetwork.Parse("::1/128"), "a loopback address (this machine)"),
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
    private readonly Func<IReadOnlyCollection<IPAddress>> ownAddresses;

    public AddressGuard(IOptions<OutboundOptions> options)
        : this(options.Value.BlockPrivateNetworks, options.Value.AllowedNetworks, MachineAddresses.Current) { }

    public AddressGuard(bool blockPrivateNetworks, IEnumerable<string> allowedNetworks, Func<IReadOnlyCollection<IPAddress>>? machineAddresses = null)
    {
        blockPrivate = blockPrivateNetworks;
        allowed = allowedNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(ParseNetwork).ToArray();
        ownAddresses = machineAddresses ?? (() => []);
    }

    /// <summary>
    /// Null when the sender may connect; otherwise why not, in words for the user. Unspecified, link-local (the
    /// metadata service), multicast and reserved addresses are always refused; loopback, this machine's own
    /// addresses and (with <c>Outbound:BlockPrivateNetworks</c>) private ranges unless <c>Outbound:AllowedNetworks</c> lists them.
    /// </summary>
    public string? Refuse(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var embedded = EmbeddedIPv4(address);
        if ((Find(Never, address) ?? (embedded is null ? null : Find(Never, embedded))) is { } never)
            return never;
        if (allowed.Any(n => n.Contains(address) || embedded is not null && n.Contains(embedded)))
            return null;
        return Judge(address) ?? (embedded is null ? null : Judge(embedded));
    }

    private string? Judge(IPAddress address)
    {
        if (Find(Loopback, address) is { } loopback)
            return loopback;
        if (ownAddresses().Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address))
            return "an address of the studio's own machine";
        return blockPrivate ? Find(Private, address) : null;
    }

    private static string? Find((IPNetwork Network, string Why)[] networks, IPAddress address)
    {
        foreach (var (network, why) in networks)
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
