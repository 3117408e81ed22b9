using Microsoft.Extensions.Options;

namespace WebhookStudio.Features.Sources;

public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>The address senders use to reach this studio (e.g. behind a reverse proxy); falls back to the request's.</summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>Absolute receiver URLs, from the configured public address or else the current request.</summary>
public sealed class ReceiverUrls(IOptions<AppOptions> options, IHttpContextAccessor http)
{
    public string For(string token, string? requestBase = null) => Absolute($"/hooks/{token}", requestBase);

    /// <summary>Any address on the studio that senders outside use (a request bin's URL).</summary>
    public string Absolute(string path, string? requestBase = null)
    {
        var baseUrl = options.Value.PublicBaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
            baseUrl = requestBase ?? RequestBase() ?? "http://localhost:5080";
        return $"{baseUrl.TrimEnd('/')}/{path.TrimStart('/')}";
    }

    private string? RequestBase() =>
        http.HttpContext?.Request is { } request ? $"{request.Scheme}://{request.Host}{request.PathBase}" : null;
}
