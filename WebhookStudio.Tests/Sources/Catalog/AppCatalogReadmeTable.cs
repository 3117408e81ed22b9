using System.Text;
using WebhookStudio.Features.Sources.Catalog;

namespace WebhookStudio.Tests.Sources.Catalog;

/// <summary>The README's table of the catalog's apps, generated from the catalog so the two cannot drift apart.</summary>
public static class AppCatalogReadmeTable
{
    public const string StartMarker = "<!-- apps:start -->";
    public const string EndMarker = "<!-- apps:end -->";

    /// <summary>The Markdown table, one row per app in catalog order, lines ending in \n.</summary>
    public static string Generate()
    {
        var table = new StringBuilder();
        table.Append("| App | Key | Sends | Handshake | Verification |\n");
        table.Append("| --- | --- | --- | --- | --- |\n");
        foreach (var app in AppCatalog.Apps)
        {
            var verification = app.Profile.Verification is { } v
                ? $"[{v.SecretName}]({v.DocsUrl}): {v.WhereToFind}"
                : "None";
            table.Append($"| [{Cell(app.Name)}]({app.DocsUrl}) | `{app.Key}` | {app.SendsLabel} | {Cell(app.Profile.Handshake ?? "None")} | {Cell(verification)} |\n");
        }
        return table.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
