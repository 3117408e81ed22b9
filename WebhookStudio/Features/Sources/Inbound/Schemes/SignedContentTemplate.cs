using System.Security.Cryptography;
using System.Text;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>
/// What a signature covers, written as text with placeholders: <c>{body}</c> (the raw body), <c>{timestamp}</c>,
/// <c>{url}</c> (the public receiver URL with its query), <c>{method}</c> and <c>{header:Name}</c>; anything else is literal.
/// </summary>
public sealed class SignedContentTemplate
{
    public const string BodyOnly = "{body}";

    private abstract record Part;
    private sealed record Literal(string Text) : Part;
    private sealed record Placeholder(string Name, string? Header = null) : Part;

    private readonly IReadOnlyList<Part> parts;

    private SignedContentTemplate(IReadOnlyList<Part> parts) => this.parts = parts;

    public bool UsesTimestamp => parts.Any(p => p is Placeholder { Name: "timestamp" });

    /// <summary>The template, or what is wrong with it in words for the user.</summary>
    public static (SignedContentTemplate? Template, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return (null, "Write what is signed, e.g. {body} or {timestamp}.{body}.");
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            if (open < 0)
            {
                literal.Append(text, at, text.Length - at);
                break;
            }
            var close = text.IndexOf('}', open);
            if (close < 0)
                return (null, $"The brace at position {open + 1} is never closed.");
            literal.Append(text, at, open - at);
            var name = text[(open + 1)..close];
            Part? placeholder = name switch
            {
                "body" or "timestamp" or "url" or "method" => new Placeholder(name),
                _ when name.StartsWith("header:", StringComparison.Ordinal) && name.Length > 7 => new Placeholder("header", name[7..]),
                _ => null,
            };
            if (placeholder is null)
                return (null, $"{{{name}}} is not a placeholder: use {{body}}, {{timestamp}}, {{url}}, {{method}} or {{header:Name}}.");
            if (literal.Length > 0)
                parts.Add(new Literal(literal.ToString()));
            literal.Clear();
            parts.Add(placeholder);
            at = close + 1;
        }
        if (literal.Length > 0)
            parts.Add(new Literal(literal.ToString()));
        if (!parts.Any(p => p is Placeholder { Name: "body" }))
            return (null, "The signed content must include {body}: a signature that does not cover the body protects nothing.");
        return (new SignedContentTemplate(parts), null);
    }

    public static SignedContentTemplate Of(string text) => Parse(text).Template ?? throw new ArgumentException(Parse(text).Problem, nameof(text));

    /// <summary>
    /// Feeds the signed content to <paramref name="hash"/>, the body without a copy; returns the name of a header the
    /// template needs but the request lacks (nothing is signed as empty), or null.
    /// </summary>
    public string? AppendTo(IncrementalHash hash, SignedRequest request, string? timestamp)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var part in parts)
            if (part is Placeholder { Header: { } header } && request.Header(header) is null)
                return header;
        foreach (var part in parts)
        {
            switch (part)
            {
                case Literal literal: Write(hash, literal.Text); break;
                case Placeholder { Name: "body" }: hash.AppendData(request.Body.Span); break;
                case Placeholder { Name: "timestamp" }: Write(hash, timestamp ?? ""); break;
                case Placeholder { Name: "url" }: Write(hash, request.Url); break;
                case Placeholder { Name: "method" }: Write(hash, request.Method); break;
                case Placeholder { Header: { } header }: Write(hash, request.Header(header)!); break;
            }
        }
        return null;
    }

    private static void Write(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
