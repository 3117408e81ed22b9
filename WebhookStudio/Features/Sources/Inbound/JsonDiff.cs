using System.Globalization;
using System.Numerics;
using System.Text;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>One field that differs; <see cref="Old"/> is null when it was added, <see cref="New"/> when removed.</summary>
/// <param name="Path">Dotted, with odd names bracket-quoted (<c>customer.address.city</c>, <c>['a.b']</c>);
/// a valid Newtonsoft JSONPath relative to the object.</param>
public sealed record FieldChange(string Path, JToken? Old, JToken? New);

/// <summary>Field-level differences between two versions of an item's data.</summary>
public static class JsonDiff
{
    /// <summary>The path of a change to a whole document that is not an object.</summary>
    public const string RootPath = "$";

    /// <summary>
    /// Objects are descended; everything else, arrays included, is compared as a whole value.
    /// Numbers compare by value (1.0 equals 1). A field holding JSON null is present: its token is a null
    /// <see cref="JValue"/>, not a C# null. The result is sorted by path (ordinal).
    /// </summary>
    /// <param name="old">Null when the item is new: every field of <paramref name="new"/> is added.</param>
    public static IReadOnlyList<FieldChange> Diff(JToken? old, JToken @new)
    {
        ArgumentNullException.ThrowIfNull(@new);

        var changes = new List<FieldChange>();
        if (@new is JObject newObject && (old is null || old is JObject))
        {
            DiffObjects("", (JObject?)old ?? new JObject(), newObject, changes);
        }
        else if (old is null || !ValueEquals(old, @new))
        {
            changes.Add(new FieldChange(RootPath, old, @new));
        }

        changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return changes;
    }

    private static void DiffObjects(string prefix, JObject old, JObject @new, List<FieldChange> changes)
    {
        foreach (var removed in old.Properties().Where(p => !@new.ContainsKey(p.Name)))
        {
            changes.Add(new FieldChange(Join(prefix, removed.Name), removed.Value, null));
        }

        foreach (var property in @new.Properties())
        {
            var path = Join(prefix, property.Name);
            if (!old.TryGetValue(property.Name, out var before))
            {
                changes.Add(new FieldChange(path, null, property.Value));
            }
            else if (before is JObject beforeObject && property.Value is JObject afterObject)
            {
                DiffObjects(path, beforeObject, afterObject, changes);
            }
            else if (!ValueEquals(before, property.Value))
            {
                changes.Add(new FieldChange(path, before, property.Value));
            }
        }
    }

    private static string Join(string prefix, string name)
    {
        if (IsPlainName(name))
        {
            return prefix.Length == 0 ? name : $"{prefix}.{name}";
        }

        var quoted = new StringBuilder(prefix).Append("['");
        foreach (var c in name)
        {
            quoted.Append(c is '\'' or '\\' ? "\\" : "").Append(c);
        }
        return quoted.Append("']").ToString();
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool ValueEquals(JToken a, JToken b) => (a, b) switch
    {
        (JObject x, JObject y) => x.Count == y.Count
            && x.Properties().All(p => y.TryGetValue(p.Name, out var other) && ValueEquals(p.Value, other)),
        (JArray x, JArray y) => x.Count == y.Count && x.Zip(y).All(pair => ValueEquals(pair.First, pair.Second)),
        (JValue { Value: { } x }, JValue { Value: { } y }) when IsNumber(a) && IsNumber(b) => NumbersEqual(x, y),
        _ => JToken.DeepEquals(a, b),
    };

    private static bool IsNumber(JToken token) => token.Type is JTokenType.Integer or JTokenType.Float;

    // Newtonsoft's DeepEquals treats an integer and a float as different types, so 1 and 1.0 would differ.
    private static bool NumbersEqual(object a, object b)
    {
        if (a is double or float || b is double or float)
        {
            return ToDouble(a).Equals(ToDouble(b));
        }
        if (a is BigInteger || b is BigInteger)
        {
            return ToBigInteger(a) is { } x && ToBigInteger(b) is { } y && x == y;
        }
        return Convert.ToDecimal(a, CultureInfo.InvariantCulture) == Convert.ToDecimal(b, CultureInfo.InvariantCulture);
    }

    private static double ToDouble(object number) =>
        number is BigInteger big ? (double)big : Convert.ToDouble(number, CultureInfo.InvariantCulture);

    private static BigInteger? ToBigInteger(object number) => number switch
    {
        BigInteger big => big,
        decimal d => d == decimal.Truncate(d) ? new BigInteger(d) : null,
        _ => new BigInteger(Convert.ToDecimal(number, CultureInfo.InvariantCulture)),
    };
}
