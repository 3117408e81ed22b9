using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Hosting;

/// <summary>The published app, started as a self-hoster starts it, listens where each way of naming an address says.</summary>
public sealed class ListeningAddressTests(PublishedStudio published) : IClassFixture<PublishedStudio>
{
    [Fact]
    public async Task Without_a_setting_it_listens_on_localhost_5080()
    {
        await using var app = published.Start();
        Assert.Equal("http://localhost:5080", await app.ReadyAddressAsync());
        await AssertAnswersAsync(5080);
    }

    [Fact]
    public async Task The_urls_switch_names_the_address()
    {
        var port = FreePort();
        await using var app = published.Start(args: ["--urls", $"http://127.0.0.1:{port}"]);
        Assert.Equal($"http://127.0.0.1:{port}", await app.ReadyAddressAsync());
        await AssertAnswersAsync(port);
    }

    [Fact]
    public async Task ASPNETCORE_URLS_names_the_address()
    {
        var port = FreePort();
        await using var app = published.Start(environment: new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        Assert.Equal($"http://127.0.0.1:{port}", await app.ReadyAddressAsync());
        await AssertAnswersAsync(port);
    }

    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_names_the_port_on_every_interface()
    {
        var port = FreePort();
        await using var app = published.Start(environment: new() { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal($"http://localhost:{port}", await app.ReadyAddressAsync());
        await AssertAnswersAsync(port);
    }

    [Fact]
    public async Task The_Urls_setting_in_appsettings_json_names_the_address()
    {
        var port = FreePort();
        var settingsFolder = published.SettingsFolderWith($$"""{ "Urls": "http://127.0.0.1:{{port}}" }""");
        await using var app = published.Start(workingDirectory: settingsFolder);
        Assert.Equal($"http://127.0.0.1:{port}", await app.ReadyAddressAsync());
        await AssertAnswersAsync(port);
    }

    [Fact]
    public async Task The_Urls_environment_variable_names_the_address()
    {
        var port = FreePort();
        await using var app = published.Start(environment: new() { ["Urls"] = $"http://127.0.0.1:{port}" });
        Assert.Equal($"http://127.0.0.1:{port}", await app.ReadyAddressAsync());
        await AssertAnswersAsync(port);
    }

    [Fact]
    public async Task The_urls_switch_wins_over_ASPNETCORE_URLS()
    {
        var (wanted, ignored) = (FreePort(), FreePort());
        await using var app = published.Start(args: ["--urls", $"http://127.0.0.1:{wanted}"],
            environment: new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ignored}" });
        Assert.Equal($"http://127.0.0.1:{wanted}", await app.ReadyAddressAsync());
        await AssertAnswersAsync(wanted);
    }

    private static async Task AssertAnswersAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The app published once (from the build the tests use) into a temporary folder.</summary>
public sealed class PublishedStudio : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("studio-published").FullName;

    public PublishedStudio()
    {
        Folder = Path.Combine(root, "app");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var project = Path.Combine(RepositoryRoot.Path, "WebhookStudio", "WebhookStudio.csproj");
        var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "--no-build", "-c", configuration, "-o", Folder, "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        publish.WaitForExit();
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed: {output.Result}{errors.Result}");
    }

    /// <summary>The publish folder, with its copy of appsettings.json.</summary>
    public string Folder { get; }

    /// <summary>A folder holding only an appsettings.json of the given text, to start the app from.</summary>
    public string SettingsFolderWith(string settingsJson)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "settings-" + Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), settingsJson);
        return folder;
    }

    public RunningStudio Start(string[]? args = null, Dictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(Folder, "WebhookStudio.dll"), .. args ?? []])
        {
            WorkingDirectory = workingDirectory ?? Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what a test names: none of the runner's own address settings leak in.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "URLS", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_URLS" })
            start.Environment.Remove(name);
        start.Environment["Storage__DataDirectory"] = Path.Combine(root, "data-" + Guid.NewGuid().ToString("N"));
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in environment ?? [])
            start.Environment[name] = value;
        return new RunningStudio(Process.Start(start)!);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

/// <summary>A started app; disposing it stops the process.</summary>
public sealed class RunningStudio : IAsyncDisposable
{
    private const string ReadyMarker = "Webhook Studio is ready: open ";
    private readonly Process process;
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> lines = [];

    public RunningStudio(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The app stopped:\n" + Output()));
    }

    /// <summary>The address the startup banner tells the user to open.</summary>
    public async Task<string> ReadyAddressAsync()
    {
        var finished = await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(90)));
        if (finished != ready.Task)
            throw new TimeoutException("The app did not say it was ready:\n" + Output());
        return await ready.Task;
    }

    private void Read(string? line)
    {
        if (line is null)
            return;
        lock (lines)
            lines.Add(line);
        var at = line.IndexOf(ReadyMarker, StringComparison.Ordinal);
        if (at >= 0)
            ready.TrySetResult(line[(at + ReadyMarker.Length)..].TrimEnd().TrimEnd('.').Replace(" in your browser", "", StringComparison.Ordinal));
    }

    private string Output()
    {
        lock (lines)
            return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
