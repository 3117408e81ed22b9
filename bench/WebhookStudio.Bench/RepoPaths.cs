namespace WebhookStudio.Bench;

/// <summary>Finds the repository and its sample payloads by walking up the folder tree.</summary>
internal static class RepoPaths
{
    /// <summary>The catalog's sample payloads in the repository, unless <c>--payloads</c> names another folder.</summary>
    public static string PayloadsFolder(string? explicitFolder)
    {
        if (explicitFolder is not null)
            return Directory.Exists(explicitFolder) ? Path.GetFullPath(explicitFolder)
                : throw new BenchException($"--payloads: no folder '{explicitFolder}'.");
        return Path.Combine(RepositoryRoot(), "WebhookStudio", "Features", "Sources", "Catalog", "Samples");
    }

    /// <summary>The repository the bench was built from first: its ProjectReference built that repository's app.</summary>
    public static string RepositoryRoot() =>
        FindUpwards([AppContext.BaseDirectory, Directory.GetCurrentDirectory()],
            dir => dir, dir => File.Exists(Path.Combine(dir, "WebhookStudio.sln")))
        ?? throw new BenchException("Could not find WebhookStudio.sln above the bench's folder or the working directory.");

    private static string? FindUpwards(string[] starts, Func<string, string> candidateIn, Func<string, bool> exists)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = candidateIn(dir.FullName);
                if (exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}

/// <summary>A failure the bench explains in one line, without a stack trace.</summary>
internal sealed class BenchException(string message) : Exception(message);
