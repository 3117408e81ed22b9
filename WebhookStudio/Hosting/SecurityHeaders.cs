using System.Security.Cryptography;

namespace WebhookStudio.Hosting;

/// <summary>
/// Headers every answer carries: no type sniffing, no referrer beyond the origin, never framed by another site,
/// and a Content-Security-Policy. Pages get the strict one, which runs only the studio's own scripts (Blazor
/// Server, MudBlazor, Monaco) plus the one inline import map, by nonce. The API reference and the jobs dashboard
/// are third-party pages with inline scripts, so they get the framing and plugin rules only. An answer with a
/// sandbox policy of its own (a request bin's) keeps it.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>Where <c>App.razor</c> finds this request's nonce for its inline import map.</summary>
    public const string NonceKey = "studio.csp-nonce";

    private const string FramingAndPlugins = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        var policy = IsThirdPartyPage(context.Request.Path)
            ? FramingAndPlugins
            : $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              + $"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; form-action 'self'; {FramingAndPlugins}";
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A bin's answer keeps its sandbox; anything else (Blazor's own frame-ancestors 'self') gives way to the studio's.
            if (!headers.ContentSecurityPolicy.ToString().StartsWith("sandbox", StringComparison.Ordinal))
                headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsThirdPartyPage(PathString path) =>
        path.StartsWithSegments("/api/reference") || path.StartsWithSegments("/scalar") || path.StartsWithSegments("/jobs");
}

public static class SecurityHeadersSetup
{
    /// <summary>
    /// Behind a TLS-terminating proxy the scheme and client address come from <c>X-Forwarded-Proto</c> and
    /// <c>X-Forwarded-For</c>, trusted only from <c>ForwardedHeaders:KnownProxies</c> (addresses or CIDR ranges;
    /// default loopback), so the sign-in cookie is <c>Secure</c> when the browser's connection is https. Both run
    /// first, before routing, so the short-circuited receiver sees them too.
    /// </summary>
    public static WebApplicationBuilder AddStudioSecurityHeaders(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? ["127.0.0.1", "::1"];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()))
            {
                if (proxy.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(proxy, out var network))
                    options.KnownIPNetworks.Add(network);
                else if (System.Net.IPAddress.TryParse(proxy, out var address))
                    options.KnownProxies.Add(address);
                else
                    throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address or a CIDR range such as 10.0.0.0/24.");
            }
        });
        builder.Services.AddTransient<IStartupFilter, FirstInPipeline>();
        return builder;
    }

    private sealed class FirstInPipeline : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            app.UseMiddleware<SecurityHeaders>();
            next(app);
        };
    }
}
