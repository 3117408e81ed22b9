namespace WebhookStudio.Hosting;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Holds the SQLite database and the Data Protection key ring; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    public string ResolveDataDirectory(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory));
}
