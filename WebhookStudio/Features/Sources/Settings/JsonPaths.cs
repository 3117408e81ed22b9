using System.Text;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Settings;

/// <summary>
/// Writes the JSONPaths the mapping editor offers for a node of a parsed payload, in the form
/// <see cref="Inbound.EntityMapper"/> reads back: <c>$.data.object</c>, <c>$.commits[*]</c>, <c>$['odd key']</c>.
/// </summary>
public static class JsonPaths
{
    /// <summary>The path of <paramref name="node"/> from the document root, with concrete array indexes.</summary>
    public static string Absolute(JToken node) => Relative(node.Root, node)!;

    /// <summary>
    /// The path of <paramref name="node"/> from <paramref name="ancestor"/> (which reads as <c>$</c>), or null
    /// when the node is not inside it.
    /// </summary>
    public static string? Relative(JToken ancestor, JToken node)
    {
        var segments = new List<string>();
        for (var current = node; !ReferenceEquals(current, ancestor); current = Up(current))
        {
            if (current is null)
                return null;
            if (current.Parent is JProperty property)
                segments.Add(Member(property.Name));
            else if (current.Parent is JArray array)
                segments.Add($"[{array.IndexOf(current)}]");
            else if (current.Parent is not null)
                return null;
        }
        var path = new StringBuilder("$");
        for (var i = segments.Count - 1; i >= 0; i--)
            path.Append(segments[i]);
        return path.ToString();
    }

    /// <summary>The entity path that takes every element of an array as an entity: <c>$.commits[*]</c>.</summary>
    public static string EachElement(JArray array) => Absolute(array) + "[*]";

    /// <summary>
    /// Every field path in a payload, array indexes written as <c>[*]</c>, in document order without repeats:
    /// the suggestions a filter or mapping field offers.
    /// </summary>
    public static IReadOnlyList<string> Fields(JToken root, int limit = 2000)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<string>();
        void Walk(JToken token, string path)
        {
            if (fields.Count >= limit)
                return;
            switch (token)
            {
                case JObject obj:
                    foreach (var property in obj.Properties())
                    {
                        var child = path + Member(property.Name);
                        if (seen.Add(child))
                            fields.Add(child);
                        Walk(property.Value, child);
                    }
                    break;
                case JArray array:
                    foreach (var item in array)
                        Walk(item, path + "[*]");
                    break;
            }
        }
        Walk(root, "$");
        return fields;
    }

    /// <summary><c>.name</c> for names JSONPath reads bare, <c>['name']</c> with escapes otherwise.</summary>
    public static string Member(string name) =>
        IsPlainName(name) ? "." + name : "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";

    private static bool IsPlainName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    // A property's value sits under its JProperty; the path goes from value to value.
    private static JToken? Up(JToken token) => token.Parent is JProperty property ? property.Parent : token.Parent;
}
