namespace WebhookStudio.Tests.Infrastructure;

public static class RepositoryRoot
{
    /// <summary>The folder holding WebhookStudio.sln, found by walking up from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "WebhookStudio.sln")))
                return dir.FullName;
        throw new InvalidOperationException("WebhookStudio.sln not found above " + AppContext.BaseDirectory);
    }
}
