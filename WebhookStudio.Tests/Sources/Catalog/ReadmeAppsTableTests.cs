using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Catalog;

public sealed class ReadmeAppsTableTests
{
    [Fact]
    public void The_readme_lists_every_catalog_app_with_its_handshake_and_verification()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(AppCatalogReadmeTable.StartMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(AppCatalogReadmeTable.EndMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start,
            $"README.md needs the lines {AppCatalogReadmeTable.StartMarker} and {AppCatalogReadmeTable.EndMarker} around the table of apps.");

        var current = readme[(start + AppCatalogReadmeTable.StartMarker.Length)..end].Trim('\n');
        var expected = AppCatalogReadmeTable.Generate().Trim('\n');
        Assert.True(current == expected,
            $"The table of apps in README.md differs from the catalog. Paste this between the markers:\n\n{expected}\n");
    }
}
