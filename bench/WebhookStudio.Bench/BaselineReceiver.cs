using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WebhookStudio.Bench;

/// <summary>
/// The floor a durable receiver cannot beat on this machine: a bare minimal-API endpoint in the bench's own
/// process that reads the body, checks it is JSON and group-commits it to SQLite before answering 202.
/// The studio does the same plus everything a product needs (token lookup, headers, verification, de-duplication).
/// </summary>
internal sealed class BaselineReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GroupCommitStore store;
    private readonly TempDirectory data;

    public Uri HookUrl { get; }

    public long DefaultSynchronous => store.DefaultSynchronous;

    private BaselineReceiver(WebApplication app, GroupCommitStore store, TempDirectory data, Uri hookUrl)
    {
        this.app = app;
        this.store = store;
        this.data = data;
        HookUrl = hookUrl;
    }

    public static async Task<BaselineReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var data = new TempDirectory();
        var store = new GroupCommitStore(Path.Combine(data.Path, "baseline.db"));

        var (app, address) = await LoopbackApp.StartAsync(data.Path,
            app => app.MapPost("/hooks/{token}", (HttpRequest request) => ReceiveAsync(request, store)), cancellationToken);
        return new BaselineReceiver(app, store, data, new Uri(address, "/hooks/baseline"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
        data.Dispose();
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, GroupCommitStore store)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = buffer.ToArray();
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: 400, title: "Malformed JSON", detail: e.Message);
        }
        var id = await store.InsertAsync(body, request.HttpContext.RequestAborted);
        return Results.Text($$"""{"payloadId":{{id}}}""", "application/json", Encoding.UTF8, StatusCodes.Status202Accepted);
    }
}
