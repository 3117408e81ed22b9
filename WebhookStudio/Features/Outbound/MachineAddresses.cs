using System.Net;
using System.Net.NetworkInformation;

namespace WebhookStudio.Features.Outbound;

/// <summary>The addresses of this machine's network interfaces, re-read at most once a minute (interfaces come and go).</summary>
internal static class MachineAddresses
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private static (long ReadAt, IReadOnlyCollection<IPAddress> Addresses) snapshot = (long.MinValue / 2, []);

    public static IReadOnlyCollection<IPAddress> Current()
    {
        var now = Environment.TickCount64;
        var last = snapshot;
        if (now - last.ReadAt < (long)Fresh.TotalMilliseconds)
            return last.Addresses;
        IReadOnlyCollection<IPAddress> addresses;
        try
        {
            addresses = NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address.IsIPv4MappedToIPv6 ? u.Address.MapToIPv4() : u.Address)
                .Where(a => !a.IsIPv6LinkLocal)
                .ToHashSet();
        }
        catch (NetworkInformationException)
        {
            addresses = last.Addresses;
        }
        snapshot = (now, addresses);
        return addresses;
    }
}
