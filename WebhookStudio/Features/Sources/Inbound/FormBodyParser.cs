using System.Net;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>
/// Turns an <c>application/x-www-form-urlencoded</c> body (Mailchimp, Twilio, Slack) into a JSON object,
/// so form senders go through the same JSONPath mapping as JSON senders.
/// </summary>
/// <remarks>
/// The rules aim to be predictable rather than clever:
/// <list type="bullet">
/// <item>Keys and values are percent-decoded as UTF-8, <c>+</c> is a space. Values stay strings.</item>
/// <item><c>a[b][c]=1</c> nests objects: <c>{"a":{"b":{"c":"1"}}}</c>.</item>
/// <item>Numeric brackets are names like any other: <c>list[0][x]=1</c> gives <c>{"list":{"0":{"x":"1"}}}</c>,
/// so a gap or an out-of-order index never reshapes the data.</item>
/// <item><c>a[]=1</c> appends to an array; a repeated key (<c>a=1&amp;a=2</c>) turns its value into an array.</item>
/// <item>A conflict never throws and never drops a value: the slot becomes an array of what arrived, in order
/// (<c>a=1&amp;a[b]=2</c> gives <c>{"a":["1",{"b":"2"}]}</c>). A name inside such an array goes into its
/// last element when that is an object, otherwise into a new object appended to it.</item>
/// <item>A key with unbalanced brackets, text after a closing bracket, or more than <see cref="MaxDepth"/>
/// levels is kept whole, as one literal name.</item>
/// </list>
/// </remarks>
public static class FormBodyParser
{
    public const int MaxDepth = 64;

    public static JObject Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);

        var root = new JObject();
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = WebUtility.UrlDecode(equals < 0 ? "" : pair[(equals + 1)..]);
            Add(root, SplitKey(key), new JValue(value));
        }
        return root;
    }

    /// <summary>"a[b][]" → ["a", "b", ""], where "" means "append".</summary>
    private static List<string> SplitKey(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0)
        {
            return [key];
        }

        var segments = new List<string> { key[..open] };
        for (var i = open; i < key.Length;)
        {
            var close = key.IndexOf(']', i + 1);
            if (key[i] != '[' || close < 0)
            {
                return [key];
            }
            segments.Add(key[(i + 1)..close]);
            i = close + 1;
        }
        return segments.Count > MaxDepth ? [key] : segments;
    }

    private static void Add(JObject root, List<string> segments, JValue value)
    {
        var parent = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var name = segments[i];
            var append = i + 1 < segments.Count && segments[i + 1].Length == 0;
            if (append)
            {
                i++;
            }

            if (i == segments.Count - 1)
            {
                Put(parent, name, value, append);
                return;
            }
            parent = Descend(parent, name, append);
        }
    }

    private static JObject Descend(JObject parent, string name, bool append)
    {
        if (!append)
        {
            switch (parent[name])
            {
                case JObject existing:
                    return existing;
                case JArray { Last: JObject last }:
                    return last;
            }
        }

        var child = new JObject();
        Put(parent, name, child, append);
        return child;
    }

    private static void Put(JObject parent, string name, JToken value, bool append)
    {
        switch (parent[name])
        {
            case null:
                parent[name] = append ? new JArray(value) : value;
                break;
            case JArray array:
                array.Add(value);
                break;
            case var existing:
                parent[name] = new JArray(existing, value);
                break;
        }
    }
}
