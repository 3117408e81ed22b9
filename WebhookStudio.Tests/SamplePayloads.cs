namespace WebhookStudio.Tests;

/// <summary>
/// The catalog's sample payloads (WebhookStudio/Features/Sources/Catalog/Samples), copied beside the test
/// binaries by the test project.
/// </summary>
public static class SamplePayloads
{
    /// <summary>The folder that holds every sample.</summary>
    public static string Folder { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Samples");

    /// <summary>The full path of a sample, e.g. <c>Path("github-push.json")</c>.</summary>
    public static string Path(string fileName) => System.IO.Path.Combine(Folder, fileName);

    /// <summary>The text of a sample.</summary>
    public static string Read(string fileName) => File.ReadAllText(Path(fileName));
}
