using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WebhookStudio.Bench;

/// <summary>
/// The floor of a durable relay on this machine, the deliveries run's baseline: the least code that does what a
/// delivery needs. It receives a payload, takes each commit of it as one delivery, group-commits the payload with
/// its deliveries before answering 202, sends each delivery to the sink signed the Standard Webhooks way
/// (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>), as many in flight as the studio, and
/// group-commits each attempt with the delivery's status before the slot takes the next one. It runs in the
/// bench's own process. The studio does the same plus everything a product needs (sources, mapping, items and
/// their changes, subscriptions and their conditions, templates, leases, retries, the log).
/// </summary>
internal sealed class RelayBaseline : IAsyncDisposable
{
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    private sealed record Outgoing(long PayloadId, int Index, byte[] Body);

    private readonly Channel<Outgoing> outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly WebApplication app;
    private readonly GroupCommitStore store;
    private readonly TempDirectory data;
    private readonly HttpClient http;
    private readonly Task[] senders;
    private long failedSends;

    public Uri HookUrl { get; }

    /// <summary>Attempts durably recorded so far: the relay's work is done when this reaches the deliveries sent.</summary>
    public long AttemptsRecorded => store.AttemptsRecorded;

    /// <summary>Sends that did not get a 2xx (none are expected from the sink).</summary>
    public long FailedSends => Interlocked.Read(ref failedSends);

    private RelayBaseline(WebApplication app, GroupCommitStore store, TempDirectory data, Uri hookUrl, Uri sink, int concurrency)
    {
        this.app = app;
        this.store = store;
        this.data = data;
        HookUrl = hookUrl;
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => SendLoopAsync(sink))).ToArray();
    }

    public static async Task<RelayBaseline> StartAsync(Uri sink, int concurrency, CancellationToken cancellationToken)
    {
        var data = new TempDirectory();
        var store = new GroupCommitStore(Path.Combine(data.Path, "relay.db"));
        RelayBaseline? relay = null;
        var (app, address) = await LoopbackApp.StartAsync(data.Path,
            app => app.MapPost("/hooks/{token}", (HttpRequest request) => relay!.ReceiveAsync(request)), cancellationToken);
        relay = new RelayBaseline(app, store, data, new Uri(address, "/hooks/relay"), sink, concurrency);
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        outbox.Writer.TryComplete();
        await Task.WhenAll(senders);
        http.Dispose();
        await store.DisposeAsync();
        data.Dispose();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = buffer.ToArray();
        List<byte[]> deliveries;
        try
        {
            using var document = JsonDocument.Parse(body);
            deliveries = document.RootElement.TryGetProperty("commits", out var commits) && commits.ValueKind == JsonValueKind.Array
                ? commits.EnumerateArray().Select(Envelope).ToList()
                : [];
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: 400, title: "Malformed JSON", detail: e.Message);
        }
        var id = await store.InsertAsync(body, deliveries, request.HttpContext.RequestAborted);
        for (var i = 0; i < deliveries.Count; i++)
            outbox.Writer.TryWrite(new Outgoing(id, i, deliveries[i]));
        return Results.Text($$"""{"payloadId":{{id}}}""", "application/json", Encoding.UTF8, StatusCodes.Status202Accepted);
    }

    private static byte[] Envelope(JsonElement commit)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", "item.changed");
            json.WriteString("timestamp", DateTime.UtcNow);
            json.WritePropertyName("data");
            commit.WriteTo(json);
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    private async Task SendLoopAsync(Uri sink)
    {
        await foreach (var delivery in outbox.Reader.ReadAllAsync())
        {
            var webhookId = string.Create(CultureInfo.InvariantCulture, $"msg_relay_{delivery.PayloadId}_{delivery.Index}");
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            byte[] signedContent = [.. Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}."), .. delivery.Body];
            var signature = HMACSHA256.HashData(SigningKey, signedContent);
            using var request = new HttpRequestMessage(HttpMethod.Post, sink) { Content = new ByteArrayContent(delivery.Body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation("webhook-id", webhookId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);
            request.Headers.TryAddWithoutValidation("webhook-signature", "v1," + Convert.ToBase64String(signature));

            var began = Stopwatch.GetTimestamp();
            int status;
            try
            {
                using var response = await http.SendAsync(request);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = 0;
            }
            if (status is < 200 or >= 300)
                Interlocked.Increment(ref failedSends);
            await store.RecordAttemptAsync(delivery.PayloadId, delivery.Index, status, Stopwatch.GetElapsedTime(began), CancellationToken.None);
        }
    }
}
