using System.Net;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Tests.Outbound;

public sealed class AddressGuardTests
{
    private static readonly AddressGuard Default = new(blockPrivateNetworks: true, []);

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.45.1.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("2002:a9fe:a9fe::1", "link-local")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "shared")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("64:ff9b::c0a8:101", "private")]
    [InlineData("2002:c0a8:101::", "private")]
    public void Refuses_internal_addresses_in_every_form(string address, string why)
    {
        var reason = Default.Refuse(IPAddress.Parse(address));
        Assert.NotNull(reason);
        Assert.Contains(why, reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Allows_public_addresses(string address) => Assert.Null(Default.Refuse(IPAddress.Parse(address)));

    [Fact]
    public void Private_networks_are_allowed_when_the_setting_is_off_but_loopback_never()
    {
        var open = new AddressGuard(blockPrivateNetworks: false, []);
        Assert.Null(open.Refuse(IPAddress.Parse("10.1.2.3")));
        Assert.Null(open.Refuse(IPAddress.Parse("fd00::1")));
        Assert.NotNull(open.Refuse(IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(open.Refuse(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void Allowed_networks_let_an_admin_reach_an_internal_system()
    {
        var guard = new AddressGuard(blockPrivateNetworks: true, ["10.1.2.0/24", "127.0.0.0/8"]);
        Assert.Null(guard.Refuse(IPAddress.Parse("10.1.2.7")));
        Assert.NotNull(guard.Refuse(IPAddress.Parse("10.1.3.7")));
        Assert.Null(guard.Refuse(IPAddress.Parse("127.0.0.1")));
        Assert.Null(guard.Refuse(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.NotNull(guard.Refuse(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void A_bad_allowed_network_is_a_configuration_error()
    {
        var error = Assert.ThrowsAny<Exception>(() => new AddressGuard(true, ["10.1.2.0/99"]));
        Assert.Contains("AllowedNetworks", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    public void Allowed_networks_never_open_link_local_unspecified_or_multicast(string address)
    {
        var everything = new AddressGuard(blockPrivateNetworks: true, ["0.0.0.0/0", "::/0"]);
        Assert.NotNull(everything.Refuse(IPAddress.Parse(address)));
        Assert.Null(everything.Refuse(IPAddress.Parse("127.0.0.1")));
        Assert.Null(everything.Refuse(IPAddress.Parse("10.1.2.3")));
    }

    [Fact]
    public void The_machines_own_addresses_are_refused_unless_allowed()
    {
        IPAddress[] own = [IPAddress.Parse("203.0.113.7")];
        var guard = new AddressGuard(blockPrivateNetworks: true, [], () => own);
        Assert.Contains("own machine", guard.Refuse(IPAddress.Parse("203.0.113.7")), StringComparison.Ordinal);
        Assert.NotNull(guard.Refuse(IPAddress.Parse("::ffff:203.0.113.7")));
        Assert.Null(guard.Refuse(IPAddress.Parse("203.0.113.8")));
        Assert.Null(new AddressGuard(blockPrivateNetworks: true, ["203.0.113.0/24"], () => own).Refuse(IPAddress.Parse("203.0.113.7")));
    }
}
