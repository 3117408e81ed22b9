using System.Globalization;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>The words and colours the subscription pages use for activities, formats, statuses and outcomes.</summary>
public static class SubscriptionLabels
{
    public static readonly IReadOnlyList<(Activities Activity, string Label)> ActivityLabels =
    [
        (Activities.ItemCreated, "Item created"), (Activities.ItemUpdated, "Item updated"),
        (Activities.ItemDeleted, "Item deleted"), (Activities.PayloadReceived, "Payload received"),
    ];

    public static string Label(Activities single) => ActivityLabels.FirstOrDefault(a => a.Activity == single).Label ?? single.ToString();

    public static IEnumerable<Activities> Split(Activities set) => ActivityLabels.Select(a => a.Activity).Where(a => set.HasFlag(a));

    /// <summary>
    /// The app label a URL suggests: the name its host is registered under ("hubspot" for https://api.hubspot.com/…,
    /// "example" for crm.example.co.uk), or the host itself when it has no such name (localhost, an address). Null when
    /// the URL has no host to read (empty, relative, or a template in the host).
    /// </summary>
    public static string? AppFromUrl(string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return null;
        if (uri.HostNameType != UriHostNameType.Dns)
            return uri.Host.Trim('[', ']');
        var labels = uri.IdnHost.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length < 2)
            return uri.Host;
        // A short second-level label before a country code (co.uk, com.au) belongs to the suffix.
        var suffix = labels.Length >= 3 && labels[^2].Length <= 3 && labels[^1].Length == 2 ? 2 : 1;
        return uri.Host.Split('.')[labels.Length - suffix - 1].ToLowerInvariant();
    }

    public static string Label(SubscriptionMethod method) => method.ToString().ToUpperInvariant();

    public static string Label(BodyFormat format) => format switch
    {
        BodyFormat.Json => "JSON",
        BodyFormat.Xml => "XML",
        BodyFormat.Text => "Plain text",
        BodyFormat.Form => "Form (x-www-form-urlencoded)",
        _ => "Default",
    };

    /// <summary>Monaco's language for a template or a rendered body.</summary>
    public static string EditorLanguage(BodyFormat format) => format switch
    {
        BodyFormat.Json or BodyFormat.Default => "json",
        BodyFormat.Xml => "xml",
        _ => "plaintext",
    };

    public static string EditorLanguage(string? contentType) => contentType switch
    {
        null => "plaintext",
        _ when contentType.Contains("json", StringComparison.OrdinalIgnoreCase) => "json",
        _ when contentType.Contains("xml", StringComparison.OrdinalIgnoreCase) => "xml",
        _ => "plaintext",
    };

    /// <summary>The host of a URL template, for lists; the template itself when it does not parse yet.</summary>
    public static string Host(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : url;

    public static string Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Buffered => "buffered",
        DeliveryStatus.Cancelled => "cancelled",
        DeliveryStatus.Expired => "expired",
        _ => "pending",
    };

    public static MudBlazor.Color StatusColor(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => MudBlazor.Color.Success,
        DeliveryStatus.Failed or DeliveryStatus.Expired => MudBlazor.Color.Error,
        DeliveryStatus.Buffered => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };

    /// <summary>2xx green, 3xx/4xx amber, 5xx red.</summary>
    public static MudBlazor.Color HttpStatusColor(int status) => status switch
    {
        >= 200 and < 300 => MudBlazor.Color.Success,
        >= 500 => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Warning,
    };

    public static string Failure(FailureKind kind) => kind switch
    {
        FailureKind.DnsNotFound => "Host not found (DNS)",
        FailureKind.ConnectionRefused => "Connection refused",
        FailureKind.Tls => "TLS / certificate problem",
        FailureKind.Timeout => "Timed out",
        FailureKind.BlockedAddress => "Blocked address",
        FailureKind.Network => "Network error",
        FailureKind.Redirect => "Redirect (not followed)",
        FailureKind.ClientError => "Refused by the receiver (4xx)",
        FailureKind.ServerError => "Receiver error (5xx)",
        FailureKind.UnexpectedStatus => "Unexpected status",
        FailureKind.InvalidRequest => "Request could not be built",
        _ => "OK",
    };

    public static string Percent(double rate) => rate.ToString("0%", CultureInfo.InvariantCulture);

    public static string When(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
