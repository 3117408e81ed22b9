using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WebhookStudio.Features.Outbound;

/// <summary>
/// The one HTTP sender for everything the studio sends out (Test button, deliveries, OAuth2 tokens). Its
/// handler connects only to addresses the <see cref="AddressGuard"/> vets, follows no redirects, uses no
/// proxy (a proxy would connect on our behalf, past the guard) and reads at most
/// <see cref="OutboundOptions.MaxResponseBytes"/> of an answer. Never throws for a failed exchange: the
/// result says what went wrong in plain words.
/// </summary>
public sealed class OutboundSender(HttpClient http, IOptions<OutboundOptions> options, TimeProvider clock)
{
    public static readonly string UserAgent = "WebhookStudio/" + Version();

    public async Task<SendResult> SendAsync(OutboundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var at = clock.GetUtcNow().UtcDateTime;
        var summary = request.Summarize();
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var message = Build(request);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var (body, truncated) = await ReadCappedAsync(response, settings.MaxResponseBytes, timeout.Token);
            watch.Stop();
            var headers = response.Headers.Concat(response.Content.Headers)
                .SelectMany(h => h.Value.Select(v => new HeaderLine(h.Key, v))).ToList();
            var received = new ReceivedResponse((int)response.StatusCode, response.ReasonPhrase, headers, body, truncated);
            var (failure, error) = Judge(received);
            return new SendResult(at, summary, received, watch.Elapsed, failure, error);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException or NotSupportedException or FormatException)
        {
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            watch.Stop();
            var (failure, error) = Explain(e, request.Url, settings);
            return new SendResult(at, summary, null, watch.Elapsed, failure, error);
        }
    }

    private static HttpRequestMessage Build(OutboundRequest request)
    {
        var message = new HttpRequestMessage(request.Method, request.Url);
        if (request.Body is not null && request.Method != HttpMethod.Get)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        }
        message.Headers.UserAgent.ParseAdd(UserAgent);
        foreach (var header in request.Headers)
        {
            if (string.Equals(header.Name, "User-Agent", StringComparison.OrdinalIgnoreCase))
                message.Headers.UserAgent.Clear();
            if (!message.Headers.TryAddWithoutValidation(header.Name, header.Value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.Remove(header.Name);
                message.Content.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }
        return message;
    }

    /// <summary>Reads the body up to the cap and stops: a receiver answering gigabytes costs us 64 KiB.</summary>
    private static async Task<(string Body, bool Truncated)> ReadCappedAsync(HttpResponseMessage response, int cap, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[cap + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        var truncated = read > cap;
        var length = Math.Min(read, cap);
        // A cut may split a UTF-8 sequence; the decoder replaces the partial character instead of failing.
        return (Encoding.UTF8.GetString(buffer, 0, length), truncated);
    }

    internal static (FailureKind, string?) Judge(ReceivedResponse response)
    {
        var status = response.StatusCode;
        var line = $"{status} {response.ReasonPhrase}".TrimEnd();
        if (status is >= 200 and < 300)
            return (FailureKind.None, null);
        if (status is >= 300 and < 400)
        {
            var location = response.Header("Location");
            return (FailureKind.Redirect, location is null
                ? $"The receiver answered {line} (a redirect) without a Location; redirects are not followed."
                : $"The receiver answered {line} and points to {location}. Redirects are not followed: use that address in the subscription if it is right.");
        }
        var message = ReceiverMessage(response.Body);
        var said = message is null ? "" : $": \"{message}\"";
        if (status is >= 400 and < 500)
            return (FailureKind.ClientError, $"The receiver refused the request with {line}{said}");
        if (status >= 500)
            return (FailureKind.ServerError, $"The receiver had an error, {line}{said}");
        return (FailureKind.UnexpectedStatus, $"The receiver answered {line}, which is not a success.");
    }

    /// <summary>The receiver's own explanation: a JSON <c>message</c>/<c>error</c>/<c>detail</c>/<c>title</c>, or the start of its text.</summary>
    internal static string? ReceiverMessage(string body)
    {
        var text = body.Trim();
        if (text.Length == 0)
            return null;
        if (text[0] == '{')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                foreach (var name in new[] { "message", "error_description", "error", "detail", "title" })
                {
                    if (!document.RootElement.TryGetProperty(name, out var value)) continue;
                    if (value.ValueKind == JsonValueKind.String) return Shorten(value.GetString()!);
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.String)
                        return Shorten(inner.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: show the text.
            }
        }
        return Shorten(text);
    }

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return oneLine.Length > 300 ? oneLine[..300] + "…" : oneLine;
    }

    private static (FailureKind, string) Explain(Exception e, Uri url, OutboundOptions settings)
    {
        var host = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
        if (Find<BlockedAddressException>(e) is { } blocked)
            return (FailureKind.BlockedAddress, $"Blocked address: {blocked.Message} The studio does not send to such addresses. {AddressGuard.AllowedNetworksRule}");
        if (e is OperationCanceledException || Find<TimeoutException>(e) is not null)
            return (FailureKind.Timeout, Find<TimeoutException>(e) is not null && e is HttpRequestException
                ? $"Timeout: {host} did not accept a connection within {settings.ConnectTimeout.TotalSeconds:0} s."
                : $"Timeout: {host} did not answer within {settings.Timeout.TotalSeconds:0} s.");
        if (Find<SocketException>(e) is { } socket)
        {
            switch (socket.SocketErrorCode)
            {
                case SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain:
                    return (FailureKind.DnsNotFound, $"DNS name not found: '{url.Host}' does not exist. Check the host name in the URL.");
                case SocketError.ConnectionRefused:
                    return (FailureKind.ConnectionRefused, $"Connection refused: nothing at {host} accepts connections.");
                case SocketError.TimedOut:
                    return (FailureKind.Timeout, $"Timeout: {host} did not accept a connection in time.");
                case SocketError.NetworkUnreachable or SocketError.HostUnreachable:
                    return (FailureKind.Network, $"Network error: {host} cannot be reached from this server.");
            }
        }
        if (Find<AuthenticationException>(e) is { } tls)
            return (FailureKind.Tls, $"TLS certificate problem: the secure connection to {host} failed ({tls.Message}).");
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError })
            return (FailureKind.DnsNotFound, $"DNS name not found: '{url.Host}' does not exist. Check the host name in the URL.");
        if (e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            return (FailureKind.Tls, $"TLS certificate problem: the secure connection to {host} failed.");
        if (e is InvalidOperationException or NotSupportedException or FormatException)
            return (FailureKind.InvalidRequest, $"The request could not be built: {e.Message}");
        return (FailureKind.Network, $"Network error talking to {host}: {Innermost(e).Message}");
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            if (current is T found)
                return found;
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static string Version()
    {
        var version = typeof(OutboundSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>The handler behind the sender's <see cref="HttpClient"/>.</summary>
    internal static SocketsHttpHandler CreateHandler(OutboundOptions settings, AddressGuard guard) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = settings.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All,
        SslOptions = new SslClientAuthenticationOptions(),
        ConnectCallback = (context, token) => ConnectGuardedAsync(context.DnsEndPoint, guard, token),
    };

    /// <summary>
    /// Resolves the host, refuses it when any of its addresses is refused (a name that answers both a public
    /// and an internal address is a classic DNS-rebinding trick), and connects to the vetted addresses only:
    /// the address checked is the address used, so a second DNS answer cannot swap it.
    /// </summary>
    internal static async ValueTask<Stream> ConnectGuardedAsync(DnsEndPoint endPoint, AddressGuard guard, CancellationToken cancellationToken)
    {
        var host = endPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        foreach (var address in addresses)
            if (guard.Refuse(address) is { } why)
                throw new BlockedAddressException(host, address, why);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
