using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookStudio.Features.Access;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>The real app, in process, over its own temporary data directory (SQLite file and key ring).</summary>
public class StudioFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings = [];

    public StudioFactory(string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "webhook-studio-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    /// <summary>When false, the data directory outlives this factory (for restart tests).</summary>
    public bool DeleteDataOnDispose { get; set; } = true;

    /// <summary>How long disposing waits for the app's hosted services to stop before failing.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public StudioFactory With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout));
    }

    public HttpClient CreateBrowserClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates a user directly through the service the Users page uses.</summary>
    public async Task CreateUserAsync(string email, string password, string role)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        if (role == StudioRoles.Admin && await Services.GetRequiredService<FirstRunState>().NeedsFirstAdminAsync())
            await users.CreateFirstAdminAsync(email, password);
        else
            await users.CreateAsync(email, password, role);
    }

    public async Task<string> CreateApiKeyAsync(string role, DateTime? expiresAt = null)
    {
        var keys = Services.GetRequiredService<ApiKeyService>();
        var created = role == StudioRoles.Admin
            ? await keys.CreateAsync(new NewApiKey("test admin", role, expiresAt), "test", allowAdmin: true)
            : await keys.CreateAsync(new NewApiKey($"test {role}", role, expiresAt), "test");
        return created.Key;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && DeleteDataOnDispose)
            TryDelete(DataDirectory);
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a background thread at shutdown; the temp folder is cleaned by the OS.
        }
    }

    private TimeProvider? clock;

    /// <summary>The app reads the time from <paramref name="provider"/> instead of the system clock.</summary>
    public StudioFactory UseClock(TimeProvider provider)
    {
        clock = provider;
        return this;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (clock is { } replacement)
            builder.ConfigureServices(services => services.AddSingleton(replacement)); // after the app's: the one resolved
        return base.CreateHost(builder);
    }
}
