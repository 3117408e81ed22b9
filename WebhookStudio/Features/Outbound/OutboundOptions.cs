namespace WebhookStudio.Features.Outbound;

/// <summary>The <c>Outbound</c> settings: what the one sender may reach and how long it waits.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Refuse 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7 (loopback, link-local and the like are always refused).</summary>
    public bool BlockPrivateNetworks { get; set; } = true;

    /// <summary>CIDR ranges an admin allows even when they would be refused, e.g. an internal CRM at <c>10.1.2.0/24</c>.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Refuse <c>http://</c> subscription URLs.</summary>
    public bool RequireHttps { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The whole exchange: connect, send, and read the (capped) answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How much of a response body is read and kept; the rest is never read.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}
