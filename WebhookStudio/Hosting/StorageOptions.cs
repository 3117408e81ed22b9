namespace WebhookStudio.Hosting;

/// <summary>Where the studio's state lives: one SQLite file (the default), or a PostgreSQL database several instances share.</summary>
public enum StorageProvider { Sqlite, PostgreSql }

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The connection string name read when <see cref="Provider"/> is PostgreSql (<c>ConnectionStrings:Postgres</c>).</summary>
    public const string PostgresConnectionName = "Postgres";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Holds the SQLite database and the Data Protection key ring; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    public string ResolveDataDirectory(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory));
}
