namespace WebhookStudio.Hosting;

/// <summary>
/// Finds where the self-hoster's <c>appsettings.json</c> lives, so the app reads the same file whether it
/// is started from the repository root, from inside <c>WebhookStudio/</c>, or from a publish folder.
/// That folder becomes the content root, so relative settings such as the data directory resolve the same way.
/// </summary>
public static class StudioHost
{
    public const string SettingsFileName = "appsettings.json";

    /// <summary>Where the app listens when nothing says otherwise.</summary>
    public const string DefaultAddress = "http://localhost:5080";

    /// <summary>
    /// Listens on <see cref="DefaultAddress"/> unless an address is configured: <c>--urls</c>, <c>ASPNETCORE_URLS</c>,
    /// <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, the <c>Urls</c> setting or Kestrel endpoints. A default in
    /// appsettings.json would outrank the <c>ASPNETCORE_</c> variables, which container and service setups rely on.
    /// </summary>
    public static void ListenOnDefaultAddressUnlessConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        string[] addressKeys = [WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey];
        if (addressKeys.All(key => string.IsNullOrWhiteSpace(configuration[key]))
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(DefaultAddress);
    }

    public static WebApplicationOptions Options(string[] args)
    {
        var explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = explicitRoot ? null : FindContentRoot(Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
        };
    }

    /// <summary>The working directory if it holds the settings file, else the repository root above it, else the app's own folder.</summary>
    public static string FindContentRoot(string workingDirectory, string appDirectory)
    {
        if (File.Exists(Path.Combine(workingDirectory, SettingsFileName)))
            return workingDirectory;

        var parent = Directory.GetParent(workingDirectory)?.FullName;
        if (parent is not null
            && File.Exists(Path.Combine(parent, "WebhookStudio.sln"))
            && File.Exists(Path.Combine(parent, SettingsFileName)))
            return parent;

        return File.Exists(Path.Combine(appDirectory, SettingsFileName)) ? appDirectory : workingDirectory;
    }
}
