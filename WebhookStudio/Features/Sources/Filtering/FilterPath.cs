using System.Globalization;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// A condition's JSONPath, parsed once. Newtonsoft.Json re-parses a path string on every
/// <c>SelectTokens</c> call and offers no compiled form, so the paths filters use almost always
/// (<c>$.a.b</c>, <c>$.a[0]</c>, <c>$.a[*].b</c>) are walked here directly with the same semantics;
/// anything richer (<c>..</c>, <c>[?()]</c>, slices, quoted names) is handed to <c>SelectTokens</c>.
/// </summary>
internal sealed class FilterPath
{
    private readonly string path;
    private readonly Segment[]? segments;

    private FilterPath(string path, Segment[]? segments)
    {
        this.path = path;
        this.segments = segments;
    }

    /// <summary>Parses <paramref name="path"/> (already normalized); on failure <paramref name="error"/> is Newtonsoft's message.</summary>
    public static FilterPath? TryCompile(string path, out string? error)
    {
        error = null;
        try
        {
            // Newtonsoft is the judge of what is valid, even for paths walked here. It parses when
            // SelectTokens is called; enumerating an empty object costs nothing more.
            _ = new JObject().SelectTokens(path).Any();
        }
        catch (Exception ex)
        {
            // Not only JsonException: on some input Newtonsoft's parser throws IndexOutOfRange or Overflow.
            error = ex switch
            {
                Newtonsoft.Json.JsonException => ex.Message,
                OverflowException => "An array index is too large.",
                _ => "The path is malformed or incomplete.",
            };
            return null;
        }
        return new FilterPath(path, TryParseSimple(path));
    }

    /// <summary>
    /// Every token the path selects, in document order; empty when nothing matches. Null with
    /// <paramref name="error"/> when Newtonsoft fails on this payload, as a query like
    /// <c>[?(@.a =~ /(/)]</c> only does once it meets a value.
    /// </summary>
    public IReadOnlyList<JToken>? Select(JToken root, out string? error)
    {
        error = null;
        var results = new List<JToken>(1);
        if (segments is not null)
        {
            Collect(root, 0, results);
            return results;
        }
        try
        {
            results.AddRange(root.SelectTokens(path));
            return results;
        }
        catch (Exception ex)
        {
            // Queries are evaluated against payload values; whatever they throw, no payload may break the pipeline.
            error = ex.Message;
            return null;
        }
    }

    private void Collect(JToken token, int from, List<JToken> results)
    {
        for (var i = from; i < segments!.Length; i++)
        {
            var segment = segments[i];
            if (segment.IsWildcard)
            {
                // Like Newtonsoft: [*] enumerates arrays only.
                if (token is JArray array)
                {
                    foreach (var item in array)
                        Collect(item, i + 1, results);
                }
                return;
            }

            JToken? next = segment.Name is { } name
                ? (token as JObject)?[name]
                : token is JArray items && segment.Index < items.Count ? items[segment.Index] : null;
            if (next is null)
                return;
            token = next;
        }
        results.Add(token);
    }

    private static Segment[]? TryParseSimple(string path)
    {
        if (path.Length == 0 || path[0] != '$')
            return null;

        var segments = new List<Segment>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var start = ++i;
                while (i < path.Length && IsNameChar(path[i]))
                    i++;
                if (i == start)
                    return null;
                segments.Add(new Segment(path[start..i], 0, false));
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                    return null;
                var inside = path.AsSpan(i + 1, close - i - 1);
                if (inside is "*")
                    segments.Add(new Segment(null, 0, true));
                else if (inside.Length is > 0 and <= 9 && !inside.ContainsAnyExceptInRange('0', '9'))
                    segments.Add(new Segment(null, int.Parse(inside, CultureInfo.InvariantCulture), false));
                else
                    return null;
                i = close + 1;
            }
            else
            {
                return null;
            }
        }
        return [.. segments];
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';

    private readonly record struct Segment(string? Name, int Index, bool IsWildcard);
}
