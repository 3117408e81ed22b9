using System.Diagnostics.CodeAnalysis;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

public enum JsonParseErrorKind
{
    /// <summary>Not JSON: syntax error, trailing content, empty body or invalid UTF-8.</summary>
    Malformed,

    /// <summary>Nested deeper than <see cref="JsonBody.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>Valid JSON, but neither an object nor an array of objects.</summary>
    WrongShape,
}

/// <summary>Either the parsed root (<see cref="Value"/>) or an error with its kind.</summary>
public sealed class JsonParseResult
{
    private JsonParseResult(JToken? value, JsonParseErrorKind? errorKind, string? error)
    {
        Value = value;
        ErrorKind = errorKind;
        Error = error;
    }

    public JToken? Value { get; }

    public JsonParseErrorKind? ErrorKind { get; }

    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Value is not null;

    public static JsonParseResult Success(JToken value) => new(value, null, null);

    public static JsonParseResult Failure(JsonParseErrorKind kind, string error) => new(null, kind, error);

    public override string ToString() => IsSuccess ? "Success" : $"{ErrorKind}: {Error}";
}
