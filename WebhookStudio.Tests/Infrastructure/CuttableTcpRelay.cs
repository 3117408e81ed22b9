using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to a server (an instance's way to its database) that the test can cut at once: every
/// relayed connection is reset and new ones are refused, as when the instance's machine dies. An app in the test
/// process cannot be killed with -9, but cut off like this it can no longer record, release or requeue anything,
/// which is what a killed instance leaves behind.
/// </summary>
public sealed class CuttableTcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<Socket, byte> sockets = new();
    private readonly CancellationTokenSource cut = new();
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly Task accepting;

    public CuttableTcpRelay(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Cut()
    {
        if (cut.IsCancellationRequested) return;
        cut.Cancel();
        listener.Stop();
        foreach (var socket in sockets.Keys)
        {
            // Linger 0: the close is a reset, not an orderly goodbye, as a dead peer's would look.
            try { socket.LingerState = new LingerOption(true, 0); socket.Close(); }
            catch (ObjectDisposedException) { }
        }
    }

    private async Task AcceptAsync()
    {
        while (!cut.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptSocketAsync(cut.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        sockets[client] = 0;
        sockets[server] = 0;
        try
        {
            await server.ConnectAsync(targetHost, targetPort, cut.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        finally
        {
            sockets.TryRemove(client, out _);
            sockets.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, cut.Token);
                if (read == 0) return;
                await to.SendAsync(buffer.AsMemory(0, read), cut.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await accepting;
        cut.Dispose();
    }
}
