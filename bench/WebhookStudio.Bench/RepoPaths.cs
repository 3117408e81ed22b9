namespace WebhookStudio.Bench;

/// <summary>Finds the repository and the shared payload samples by walking up the folder tree.</summary>
internal static class RepoPaths
{
    /// <summary>
    /// <c>shared/payloads</c> sits beside the repository (…/main and …/shared), so it is searched above the working
    /// directory and above the bench's own folder; <c>--payloads</c> names it when the checkout lives elsewhere.
    /// </summary>
    public static string PayloadsFolder(string? explicitFolder)
    {
        if (explicitFolder is not null)
            return Directory.Exists(explicitFolder) ? Path.GetFullPath(explicitFolder)
                : throw new BenchException($"--payloads: no folder '{explicitFolder}'.");
        return FindUpwards([Directory.GetCurrentDirectory(), AppContext.BaseDirectory],
                   dir => Path.Combine(dir, "shared", "payloads"), Directory.Exists)
            ?? throw new BenchException("Could not find a 'shared/payloads' folder above the working directory or the bench's folder; name it with --payloads <folder>.");
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
