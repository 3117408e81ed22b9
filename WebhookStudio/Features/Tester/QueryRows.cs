namespace WebhookStudio.Features.Tester;

public sealed class QueryRow
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>The query string of a URL as editable rows, and back: the form keeps the URL field and the rows in step.</summary>
public static class QueryRows
{
    public static List<QueryRow> Parse(string? url)
    {
        var text = url ?? "";
        var question = text.IndexOf('?', StringComparison.Ordinal);
        if (question < 0) return [];
        var hash = text.IndexOf('#', question);
        var query = hash < 0 ? text[(question + 1)..] : text[(question + 1)..hash];
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            return eq < 0
                ? new QueryRow { Name = Decode(part) }
                : new QueryRow { Name = Decode(part[..eq]), Value = Decode(part[(eq + 1)..]) };
        }).ToList();
    }

    /// <summary>The URL with its query replaced by the rows (rows without a name are left out until they get one).</summary>
    public static string Build(string? url, IEnumerable<QueryRow> rows)
    {
        var text = url ?? "";
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? "" : text[hash..];
        if (hash >= 0) text = text[..hash];
        var question = text.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? text : text[..question];
        var parts = rows.Where(r => r.Name.Length > 0).Select(r => Encode(r.Name) + "=" + Encode(r.Value)).ToList();
        return path + (parts.Count == 0 ? "" : "?" + string.Join('&', parts)) + fragment;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    private static string Encode(string text) => Uri.EscapeDataString(text);
}
