using System.Globalization;
using System.Numerics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// A number from a payload or a filter value, compared without going through <c>double</c> when it
/// can be avoided: ids like 450789469876543210987 are beyond 2^53 and must compare exactly.
/// </summary>
internal readonly struct FilterNumber
{
    private readonly decimal? exact;     // fits decimal (±7.9e28, 28 digits): the usual case
    private readonly BigInteger? integer; // integral, of any size
    private readonly double approximate;  // last resort, e.g. 1e300 against 1.5

    private FilterNumber(decimal? exact, BigInteger? integer, double approximate)
    {
        this.exact = exact;
        this.integer = integer;
        this.approximate = approximate;
    }

    public double Approximate => approximate;

    public static int Compare(FilterNumber a, FilterNumber b) =>
        a.exact is { } x && b.exact is { } y ? x.CompareTo(y)
        : a.integer is { } i && b.integer is { } j ? i.CompareTo(j)
        : a.approximate.CompareTo(b.approximate);

    public static bool TryParse(string text, out FilterNumber number)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
            number = From(m);
        else if (BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big))
            number = From(big);
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            number = From(d);
        else
        {
            number = default;
            return false;
        }
        return true;
    }

    /// <summary>A JSON number token; Newtonsoft holds integers as long or BigInteger, reals as double or decimal.</summary>
    public static bool TryFrom(JToken token, out FilterNumber number)
    {
        number = default;
        if (token.Type is not (JTokenType.Integer or JTokenType.Float))
            return false;
        switch (((JValue)token).Value)
        {
            case BigInteger big:
                number = From(big);
                return true;
            case double d when double.IsFinite(d):
                number = From(d);
                return true;
            case float f when float.IsFinite(f):
                number = From(f);
                return true;
            case IConvertible value and not double and not float:
                number = From(value.ToDecimal(CultureInfo.InvariantCulture));
                return true;
            default:
                return false;
        }
    }

    private static FilterNumber From(decimal m) =>
        new(m, decimal.Truncate(m) == m ? new BigInteger(m) : null, (double)m);

    private static FilterNumber From(BigInteger big) =>
        new(big >= MinDecimal && big <= MaxDecimal ? (decimal)big : null, big, (double)big);

    // (decimal)double keeps 15 significant digits, which is what a double parsed from "0.1" means.
    private static FilterNumber From(double d) =>
        Math.Abs(d) < 7.9e28 ? From((decimal)d) : new(null, null, d);

    private static readonly BigInteger MinDecimal = new(decimal.MinValue);
    private static readonly BigInteger MaxDecimal = new(decimal.MaxValue);
}

/// <summary>How payload tokens and filter values read as text, dates and in reasons.</summary>
internal static class FilterScalars
{
    // Unix timestamps above this are taken as milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).
    private const double MillisecondsThreshold = 1e11;
    private const int ShownLength = 60;

    /// <summary>
    /// The text string operators see: strings as they are, numbers in invariant form, <c>true</c>,
    /// <c>false</c>, <c>null</c>; null for objects and arrays, which have no text.
    /// </summary>
    public static string? Text(JToken token) => token switch
    {
        JValue { Type: JTokenType.Null or JTokenType.Undefined } => "null",
        JValue { Value: string s } => s,
        JValue { Value: bool b } => b ? "true" : "false",
        JValue { Value: DateTime dt } => dt.ToString(IsoFormat, CultureInfo.InvariantCulture),
        JValue { Value: DateTimeOffset dto } => dto.ToString(IsoFormat, CultureInfo.InvariantCulture),
        JValue { Value: byte[] bytes } => Convert.ToBase64String(bytes),
        JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// A date from a Date token (when the payload was parsed with date handling on), an ISO-8601 string,
    /// or a number taken as a unix timestamp.
    /// </summary>
    public static bool TryGetDate(JToken token, out DateTimeOffset date)
    {
        switch (token)
        {
            case JValue { Value: DateTimeOffset dto }:
                date = dto;
                return true;
            case JValue { Value: DateTime dt }:
                date = dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt);
                return true;
            case JValue { Value: string s }:
                return TryParseDate(s, out date);
            default:
                date = default;
                return FilterNumber.TryFrom(token, out var number) && TryFromUnix(number, out date);
        }
    }

    public static bool TryParseDate(string text, out DateTimeOffset date)
    {
        date = default;
        return LooksLikeIsoDate(text)
            ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date)
            : FilterNumber.TryParse(text, out var number) && TryFromUnix(number, out date);
    }

    /// <summary>A token as a reason shows it: strings quoted, long values shortened.</summary>
    public static string Show(JToken token) => token.Type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => Shorten(token.ToString(Formatting.None)),
        JTokenType.String => Quote(Text(token)!),
        _ => Shorten(Text(token) ?? token.ToString(Formatting.None)),
    };

    public static string Quote(string text) => $"\"{Shorten(text)}\"";

    private static string Shorten(string text) => text.Length <= ShownLength ? text : text[..ShownLength] + "…";

    // DateTimeOffset.TryParse alone would also read "1/2/2026" or "May 5"; dates in payloads are ISO-8601.
    private static bool LooksLikeIsoDate(string s) =>
        s.Length >= 10 && char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]) && s[4] == '-';

    private static bool TryFromUnix(FilterNumber number, out DateTimeOffset date)
    {
        var value = number.Approximate;
        var milliseconds = Math.Abs(value) >= MillisecondsThreshold ? value : value * 1000;
        var ticks = milliseconds * TimeSpan.TicksPerMillisecond;
        var epochTicks = DateTimeOffset.UnixEpoch.Ticks;
        var inRange = double.IsFinite(ticks) && ticks > -epochTicks && ticks < DateTimeOffset.MaxValue.Ticks - epochTicks;
        date = inRange ? DateTimeOffset.UnixEpoch.AddTicks((long)ticks) : default;
        return inRange;
    }

    private const string IsoFormat = "yyyy-MM-ddTHH:mm:ss.FFFFFFFK";
}
