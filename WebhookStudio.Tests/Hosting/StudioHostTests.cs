using WebhookStudio.Hosting;

namespace WebhookStudio.Tests.Hosting;

public sealed class StudioHostTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("studio-host").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Make(string relative, string? file = null)
    {
        var dir = Path.Combine(root, relative);
        Directory.CreateDirectory(dir);
        if (file is not null) File.WriteAllText(Path.Combine(dir, file), "{}");
        return dir;
    }

    [Fact]
    public void From_the_repository_root_the_root_settings_are_used()
    {
        var repo = Make("repo", "appsettings.json");
        Assert.Equal(repo, StudioHost.FindContentRoot(repo, Make("repo/WebhookStudio/bin")));
    }

    [Fact]
    public void From_inside_the_project_folder_the_root_settings_are_used()
    {
        var repo = Make("repo", "appsettings.json");
        File.WriteAllText(Path.Combine(repo, "WebhookStudio.sln"), "");
        var project = Make("repo/WebhookStudio");
        Assert.Equal(repo, StudioHost.FindContentRoot(project, Make("repo/WebhookStudio/bin")));
    }

    [Fact]
    public void From_a_publish_folder_its_own_copy_is_used()
    {
        var publish = Make("publish", "appsettings.json");
        Assert.Equal(publish, StudioHost.FindContentRoot(Make("somewhere/else"), publish));
    }

    [Fact]
    public void Relative_data_directories_resolve_against_the_content_root()
    {
        Assert.Equal(Path.Combine(root, "data"), new StorageOptions().ResolveDataDirectory(root));
        Assert.Equal("/var/lib/studio", new StorageOptions { DataDirectory = "/var/lib/studio" }.ResolveDataDirectory(root));
    }
}
