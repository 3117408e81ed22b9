using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using WebhookStudio.Hosting;

namespace WebhookStudio.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// The database (SQLite file by default, PostgreSQL when <c>Storage:Provider</c> says so), the EF Core model
    /// (one context per operation) and the Data Protection key ring (files beside SQLite, a table in PostgreSQL so
    /// every instance reads the same keys).
    /// </summary>
    public static WebApplicationBuilder AddStudioData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Resolved when first needed rather than now, so settings added by a test host or a later source count.
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton(sp => DataDirectory.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton(sp => StudioDatabase.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<DataDirectory>));

        services.AddSingleton<DatabaseWriteGate>();
        services.AddSingleton<StudioWrites>();
        services.AddSingleton<PayloadRows>();
        services.AddSingleton<InstanceChannel>();
        services.AddSingleton<DatabaseWriteHealth>();
        services.AddSingleton<WorkClaims>();
        services.AddSingleton<DeliveryStore>();
        // The factory also registers StudioDbContext as scoped, which ASP.NET Core Identity's stores use.
        services.AddDbContextFactory<StudioDbContext, StudioDbContextFactory>((sp, options) =>
            sp.GetRequiredService<StudioDatabase>().Configure(options));

        // Before Data Protection's own hosted service, which reads the key ring (a table, with PostgreSQL) at start.
        services.AddHostedService<DatabaseMigrator>();

        services.AddDataProtection().SetApplicationName("WebhookStudio");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider, ILoggerFactory>((options, sp, loggers) =>
            options.XmlRepository = sp.GetRequiredService<StudioDatabase>().IsShared
                ? new EntityFrameworkCoreXmlRepository<StudioDbContext>(sp, loggers)
                : new FileSystemXmlRepository(new DirectoryInfo(sp.GetRequiredService<DataDirectory>().KeysPath), loggers));

        return builder;
    }
}

/// <summary>Where the studio keeps its state: the SQLite database, Hangfire's jobs and the Data Protection key ring.</summary>
public sealed record DataDirectory(string Path)
{
    public string DatabasePath => System.IO.Path.Combine(Path, "studio.db");
    public string KeysPath => System.IO.Path.Combine(Path, "keys");

    /// <summary>Hangfire's job storage of a single-server install, apart from the studio's data.</summary>
    public string JobsPath => System.IO.Path.Combine(Path, "jobs.db");

    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = DatabasePath,
        // Waits for the single SQLite writer instead of failing at once with "database is locked".
        DefaultTimeout = 30,
    }.ToString();

    public static DataDirectory Create(StorageOptions options, string contentRoot)
    {
        var directory = new DataDirectory(options.ResolveDataDirectory(contentRoot));
        Directory.CreateDirectory(directory.KeysPath);
        directory.RestrictToOwner();
        return directory;
    }

    /// <summary>
    /// The folder, the key ring and the database files are the owner's alone (0700 / 0600): they hold payloads,
    /// captured requests and the keys that decrypt every stored secret. Windows keeps its inherited ACLs.
    /// </summary>
    public void RestrictToOwner()
    {
        if (OperatingSystem.IsWindows())
            return;
        const UnixFileMode ownerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var folder in new[] { Path, KeysPath }.Where(Directory.Exists))
            File.SetUnixFileMode(folder, ownerOnlyFolder);
        foreach (var file in new[] { DatabasePath, JobsPath }.SelectMany(db => new[] { db, db + "-wal", db + "-shm" }).Where(File.Exists))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
