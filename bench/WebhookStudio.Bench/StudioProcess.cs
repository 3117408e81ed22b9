using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;

namespace WebhookStudio.Bench;

/// <summary>
/// The real app, run as a child process on a free loopback port with a throw-away data directory and a
/// bootstrap API key, exactly as a self-hoster would start it (<c>dotnet WebhookStudio.dll --urls …</c>).
/// Disposing kills it and deletes its data.
/// </summary>
internal sealed class StudioProcess : IDisposable
{
    private readonly Process process;
    private readonly TempDirectory data;
    private readonly ConcurrentQueue<string> output = new();
    private volatile bool ready;
    private int linesSinceReady;

    public Uri BaseAddress { get; }
    public string ApiKey { get; }

    /// <summary>How many lines the app printed once healthy: at log level Warning, every one is worth a look.</summary>
    public int LinesSinceReady => linesSinceReady;

    public IReadOnlyList<string> LastLines(int count) => output.TakeLast(count).ToList();

    /// <summary>CPU the app has used so far (user + kernel), to tell its cost per payload apart from the load generator's.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The most memory the app has held resident so far (Linux: VmHWM), in bytes.</summary>
    public long PeakMemory
    {
        get
        {
            process.Refresh();
            return process.PeakWorkingSet64;
        }
    }

    /// <summary>
    /// Waits until the studio is idle: under 5% of a core for half a second, at most 20 s. After a warm-up the JIT is
    /// still compiling the hot methods' optimized code in the background (thousands of methods, a second or more of
    /// CPU) and runs them unoptimized meanwhile; a run measured before that is done measures the JIT, not the studio.
    /// </summary>
    /// <returns>How long it took.</returns>
    public async Task<TimeSpan> SettleAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var window = TimeSpan.FromMilliseconds(500);
        var before = CpuTime;
        while (started.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(window, cancellationToken);
            var now = CpuTime;
            if (now - before < window * 0.05)
                break;
            before = now;
        }
        return started.Elapsed;
    }

    private StudioProcess(Process process, TempDirectory data, Uri baseAddress, string apiKey)
    {
        this.process = process;
        this.data = data;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
    }

    /// <param name="settings">Configuration given as environment variables (<c>Section__Key</c>), e.g. the storage provider.</param>
    public static async Task<StudioProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var dll = await LocateOrBuildAsync(cancellationToken);
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var apiKey = "whs_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var data = new TempDirectory();

        var start = new ProcessStartInfo("dotnet")
        {
            // The app finds the appsettings.json copied beside the dll, as from a publish folder.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "--urls", baseAddress.ToString().TrimEnd('/') })
            start.ArgumentList.Add(arg);
        // The developer's own settings must not leak in: a Development environment would change error pages and logging.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_CONTENTROOT" })
            start.Environment.Remove(name);
        start.Environment["Storage__DataDirectory"] = data.Path;
        start.Environment["Admin__ApiKey"] = apiKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
            start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new BenchException("Could not start 'dotnet'.");
        var studio = new StudioProcess(process, data, baseAddress, apiKey);
        process.OutputDataReceived += (_, e) => studio.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => studio.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await studio.WaitUntilHealthyAsync(cancellationToken);
        }
        catch
        {
            studio.Dispose();
            throw;
        }
        return studio;
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        process.Dispose();
        data.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        if (ready) Interlocked.Increment(ref linesSinceReady);
        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _)) { }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
                throw new BenchException($"The app exited with code {process.ExitCode} before it was healthy:\n  " + string.Join("\n  ", output.TakeLast(30)));
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ready = true;
                    return;
                }
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { /* slow first answer */ }
            await Task.Delay(200, cancellationToken);
        }
        throw new BenchException("The app did not answer GET /health with 200 within 90 s:\n  " + string.Join("\n  ", output.TakeLast(30)));
    }

    /// <summary>The app built in the bench's own configuration; built here when missing (the ProjectReference normally did it).</summary>
    private static async Task<string> LocateOrBuildAsync(CancellationToken cancellationToken)
    {
        var configuration = BuildConfiguration;
        var root = RepoPaths.RepositoryRoot();
        var dll = Path.Combine(root, "WebhookStudio", "bin", configuration, "net10.0", "WebhookStudio.dll");
        if (File.Exists(dll))
            return dll;

        Console.WriteLine($"Building the app ({configuration}): {dll} is missing…");
        var build = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false };
        foreach (var arg in new[] { "build", "WebhookStudio", "-c", configuration, "-m:1", "-nologo", "-v:q" })
            build.ArgumentList.Add(arg);
        using var process = Process.Start(build) ?? throw new BenchException("Could not start 'dotnet build'.");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(dll))
            throw new BenchException($"'dotnet build WebhookStudio -c {configuration}' failed (exit {process.ExitCode}).");
        return dll;
    }

    /// <summary>Debug or Release: the configuration the bench itself was built in, so both match.</summary>
    public static string BuildConfiguration =>
        typeof(StudioProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Release";

    /// <summary>Asks the OS for a free port; the tiny window before the app binds it is acceptable for a bench.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
