using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace WebhookStudio.Features.Bins;

/// <summary>
/// <c>/bins/{token}</c> and everything under it, with any method and any content type: the request is kept as it
/// arrived (its body up to <c>Bins:MaxBodyBytes</c>) and answered with the bin's configured response.
/// </summary>
public static partial class BinReceiver
{
    public const string PathPrefix = "/bins";

    public static void MapBinReceiver(this IEndpointRouteBuilder app)
    {
        // Map without a method list takes every method, HEAD and OPTIONS included. The bin pages are /bins and
        // /bins/{id:int}; the int constraint makes the page win for GET /bins/5, and a token is never all digits
        // in practice (32 URL-safe characters).
        foreach (var pattern in new[] { PathPrefix + "/{token}", PathPrefix + "/{token}/{**rest}" })
            app.Map(pattern, ReceiveAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    private static async Task ReceiveAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var bins = services.GetRequiredService<BinService>();
        var options = services.GetRequiredService<IOptions<BinOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        var cancellationToken = context.RequestAborted;
        // The configured status is the answer, even a 404 or 500 with an empty body: not the studio's error page.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            statusPages.Enabled = false;

        var token = context.GetRouteValue("token") as string ?? "";
        var bin = await bins.FindByTokenAsync(token, cancellationToken);
        if (bin is null)
        {
            await TypedResults.Problem(statusCode: 404, title: "Unknown bin URL",
                detail: "No request bin has this URL. It may have been deleted, or purged after the retention period.").ExecuteAsync(context);
            return;
        }

        var request = context.Request;
        var (body, size, truncated) = await ReadCappedAsync(request.Body, options.MaxBodyBytes, services.GetRequiredService<ILoggerFactory>(), cancellationToken);
        var captured = new BinRequest
        {
            BinId = bin.Id,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            Method = request.Method,
            Path = "/" + (context.GetRouteValue("rest") as string ?? ""),
            QueryString = request.QueryString.Value ?? "",
            ContentType = request.ContentType,
            Headers = JsonSerializer.Serialize(HeadersOf(request)),
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
            Size = size,
            Truncated = truncated,
            Body = body,
        };
        try
        {
            await bins.CaptureAsync(captured, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Response.Headers.RetryAfter = "5";
            await TypedResults.Problem(statusCode: 503, title: "Could not store the request",
                detail: "The studio could not write to its database; the request was not kept. Retry later.").ExecuteAsync(context);
            return;
        }
        await AnswerAsync(context, bin, cancellationToken);
    }

    private static async Task AnswerAsync(HttpContext context, RequestBin bin, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = bin.ResponseStatus;
        foreach (var (name, value) in BinResponse.HeadersFrom(bin.ResponseHeaders))
        {
            if (BinResponse.MayAnswer(name))
                response.Headers[name] = value;
        }
        // The answer is shown on the studio's origin: a browser runs none of its scripts and never guesses its type.
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        // 204 and 304 answers cannot carry a body; HEAD answers get the headers only.
        if (bin.ResponseStatus is 204 or 304)
            return;
        if (bin.ResponseContentType.Length > 0)
            response.ContentType = bin.ResponseContentType;
        if (bin.ResponseBody.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
            await response.WriteAsync(bin.ResponseBody, cancellationToken);
    }

    /// <summary>
    /// Keeps at most <paramref name="maxBytes"/> and reads the rest only to count it, so the sender finishes its
    /// upload and gets the bin's answer; memory stays bounded whatever the sender sends.
    /// </summary>
    private static async Task<(byte[] Body, long Size, bool Truncated)> ReadCappedAsync(Stream body, int maxBytes, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        using var kept = new MemoryStream();
        long size = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var room = (int)Math.Max(0, maxBytes - kept.Length);
                if (room > 0)
                    kept.Write(buffer, 0, Math.Min(room, read));
                size += read;
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Past the server's own request size limit (Kestrel's, 30 MB by default): keep what arrived.
            LogBodyCut(loggers.CreateLogger(typeof(BinReceiver)), ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (kept.ToArray(), size, size > kept.Length);
    }

    private static Dictionary<string, string> HeadersOf(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
            headers[name] = values.ToString();
        return headers;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A bin request body was cut short: {Reason}")]
    private static partial void LogBodyCut(ILogger logger, string reason);
}
