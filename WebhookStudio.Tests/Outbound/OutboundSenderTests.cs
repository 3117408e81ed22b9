using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Outbound;

/// <summary>The one sender, as the app configures it: the SSRF guard at connect time, no redirects, a capped answer, plain-words failures.</summary>
public sealed class OutboundSenderTests(OutboundSenderTests.Studios studios) : IAsyncLifetime, IClassFixture<OutboundSenderTests.Studios>
{
    /// <summary>Two studios for every test of the class: sending reads and writes no data.</summary>
    public sealed class Studios : IDisposable
    {
        public StudioFactory Guarded { get; } = new();

        public StudioFactory AllowingLoopback { get; } = new StudioFactory()
            .With("Outbound:AllowedNetworks:0", "127.0.0.0/8")
            .With("Outbound:Timeout", "00:00:02");

        public void Dispose()
        {
            Guarded.Dispose();
            AllowingLoopback.Dispose();
        }
    }

    private readonly StudioFactory guarded = studios.Guarded;
    private readonly StudioFactory allowingLoopback = studios.AllowingLoopback;
    private LocalSink sink = default!;

    public async Task InitializeAsync() => sink = await LocalSink.StartAsync();

    public async Task DisposeAsync()
    {
        await sink.DisposeAsync();
    }

    private static Task<SendResult> SendAsync(StudioFactory factory, string url, HttpMethod? method = null, string? body = null)
    {
        var sender = factory.Services.GetRequiredService<OutboundSender>();
        return sender.SendAsync(new OutboundRequest(method ?? HttpMethod.Post, new Uri(url), [],
            body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : "application/json"));
    }

    private int SinkPort => new Uri(sink.BaseUrl).Port;

    [Theory]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("http://localhost:{port}/")]
    [InlineData("http://2130706433:{port}/")]
    [InlineData("http://0x7f.1:{port}/")]
    [InlineData("http://017700000001:{port}/")]
    [InlineData("http://0x7f000001:{port}/")]
    [InlineData("http://127.1:{port}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/")]
    [InlineData("http://[::ffff:7f00:1]:{port}/")]
    [InlineData("http://[::1]:{port}/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0:{port}/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://192.168.0.1/")]
    [InlineData("http://[64:ff9b::7f00:1]:{port}/")]
    [InlineData("http://[2002:7f00:1::]:{port}/")]
    public async Task Internal_addresses_in_any_encoding_are_refused_before_connecting(string template)
    {
        var url = template.Replace("{port}", SinkPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var result = await SendAsync(guarded, url);
        Assert.Equal(FailureKind.BlockedAddress, result.Failure);
        Assert.StartsWith("Blocked address:", result.Error, StringComparison.Ordinal);
        Assert.Null(result.Response);
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task Allowed_networks_let_the_sender_reach_loopback_and_it_says_who_it_is()
    {
        var result = await SendAsync(allowingLoopback, sink.Url("/in"), body: """{"a":1}""");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(200, result.Response!.StatusCode);
        Assert.Equal("ok", result.Response.Body);
        var received = sink.Single();
        Assert.Equal("/in", received.Path);
        Assert.Equal("""{"a":1}""", received.BodyText);
        Assert.Matches(@"^WebhookStudio/\d+\.\d+\.\d+", received.Header("User-Agent"));
        // The odd encodings are refused with loopback allowed too? No: allowed means allowed, in every encoding.
        Assert.True((await SendAsync(allowingLoopback, $"http://2130706433:{SinkPort}/")).Succeeded);
    }

    [Fact]
    public async Task Redirects_are_not_followed_and_the_failure_shows_where_they_point()
    {
        sink.Respond = (_, context) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "https://elsewhere.example.com/new";
            return Task.CompletedTask;
        };
        var result = await SendAsync(allowingLoopback, sink.Url());
        Assert.Equal(FailureKind.Redirect, result.Failure);
        Assert.Contains("https://elsewhere.example.com/new", result.Error, StringComparison.Ordinal);
        Assert.Equal(302, result.Response!.StatusCode);
        Assert.Single(sink.Requests);
    }

    [Fact]
    public async Task Only_the_first_64_KiB_of_an_answer_are_read()
    {
        sink.Respond = async (_, context) =>
        {
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            for (var i = 0; i < 64; i++) // 4 MiB
                await context.Response.Body.WriteAsync(chunk);
        };
        var result = await SendAsync(allowingLoopback, sink.Url());
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(64 * 1024, result.Response!.Body.Length);
        Assert.True(result.Response.Truncated);
    }

    [Fact]
    public async Task A_receiver_refusing_the_request_is_a_client_error_with_its_own_message()
    {
        sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = 422;
            await context.Response.WriteAsJsonAsync(new { message = "email is missing" });
        };
        var result = await SendAsync(allowingLoopback, sink.Url());
        Assert.Equal(FailureKind.ClientError, result.Failure);
        Assert.Contains("422", result.Error, StringComparison.Ordinal);
        Assert.Contains("email is missing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_error_is_a_server_error()
    {
        sink.Respond = async (_, context) =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("down for maintenance");
        };
        var result = await SendAsync(allowingLoopback, sink.Url());
        Assert.Equal(FailureKind.ServerError, result.Failure);
        Assert.Contains("down for maintenance", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_receiver_times_out()
    {
        sink.Respond = async (_, context) => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        var result = await SendAsync(allowingLoopback, sink.Url());
        Assert.Equal(FailureKind.Timeout, result.Failure);
        Assert.StartsWith("Timeout:", result.Error, StringComparison.Ordinal);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Nothing_listening_is_connection_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await SendAsync(allowingLoopback, $"http://127.0.0.1:{port}/");
        Assert.Equal(FailureKind.ConnectionRefused, result.Failure);
        Assert.StartsWith("Connection refused:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_is_dns_name_not_found()
    {
        var result = await SendAsync(guarded, "http://no-such-host.invalid/");
        Assert.Equal(FailureKind.DnsNotFound, result.Failure);
        Assert.Contains("no-such-host.invalid", result.Error, StringComparison.Ordinal);
    }
}
