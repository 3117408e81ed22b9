namespace WebhookStudio.Tests;

/// <summary>
/// The sample payloads in shared/payloads. The folder sits beside the repository rather than in it,
/// so it is found by walking up from the test binaries, wherever the repository was cloned.
/// </summary>
public static class SamplePayloads
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    /// <summary>The full path of a sample, e.g. <c>Path("github-push.json")</c>.</summary>
    public static string Path(string fileName) => System.IO.Path.Combine(Folder.Value, fileName);

    /// <summary>The text of a sample.</summary>
    public static string Read(string fileName) => File.ReadAllText(Path(fileName));

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "payloads");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"No shared/payloads folder above {AppContext.BaseDirectory}.");
    }
}
