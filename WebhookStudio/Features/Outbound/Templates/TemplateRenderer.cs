using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using System.Xml.Linq;
using Fluid;
using Fluid.Values;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Outbound.Templates;

/// <summary>How a template's output is encoded and checked.</summary>
public enum TemplateFormat { Json, Xml, Text, Form, Url, Plain }

/// <summary>A rendered template, or why it could not be rendered (with the line when there is one).</summary>
public sealed record RenderResult(string? Output, string? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>
/// Renders Liquid templates (Fluid) over a <see cref="TemplateModel"/>. Each format encodes what
/// placeholders write so a value cannot break the document: JSON-escaped inside JSON (<c>"{{ item.title }}"</c>
/// stays a valid string whatever the title), XML-escaped in XML, URL-encoded in form bodies and URLs; the
/// <c>json</c> filter and whole objects write raw JSON. JSON and XML output must be well-formed.
/// </summary>
public static class TemplateRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Cache = new();

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { StrictFilters = true, MaxSteps = 100_000, MaxRecursion = 20 };
        options.Filters.AddFilter("json", (input, _, _) =>
            new ValueTask<FluidValue>(new StringValue(ToJson(input), encode: false)));
        return options;
    }

    private static string ToJson(FluidValue input) => input switch
    {
        JsonFluidValue json => json.Node.ToJsonString(StudioJson.Options),
        NilValue or EmptyValue or BlankValue => "null",
        _ => JsonSerializer.Serialize(input.ToObjectValue(), StudioJson.Options),
    };

    public static TextEncoder EncoderFor(TemplateFormat format) => format switch
    {
        TemplateFormat.Json => JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TemplateFormat.Xml => HtmlEncoder.Create(UnicodeRanges.All),
        TemplateFormat.Form or TemplateFormat.Url => UrlEncoder.Default,
        _ => NullEncoder.Default,
    };

    /// <returns>The parse error with its line and column, or null when the template parses.</returns>
    public static string? SyntaxError(string template) => TryParse(template, out _, out var error) ? null : error;

    private static bool TryParse(string template, out IFluidTemplate parsed, out string? error)
    {
        if (Cache.TryGetValue(template, out parsed!))
        {
            error = null;
            return true;
        }
        if (!Parser.TryParse(template, out parsed, out var message))
        {
            // Fluid appends the whole source after the position; the position is what helps.
            error = "Template syntax error: " + message.Split("\nSource:", 2)[0].Trim();
            return false;
        }
        if (Cache.Count > 2000) Cache.Clear();
        Cache[template] = parsed;
        error = null;
        return true;
    }

    public static async Task<RenderResult> RenderAsync(string template, TemplateFormat format, TemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return await RenderAsync(template, format, context =>
        {
            foreach (var (name, value) in model.Variables())
                context.SetValue(name, JsonFluidValue.From(value));
        });
    }

    private static async Task<RenderResult> RenderAsync(string template, TemplateFormat format, Action<TemplateContext> fill)
    {
        if (!TryParse(template, out var parsed, out var error))
            return new RenderResult(null, error);
        var context = new TemplateContext(Options);
        fill(context);
        string output;
        try
        {
            output = await parsed.RenderAsync(context, EncoderFor(format));
        }
        catch (Exception e) when (e is FluidException or ParseException or InvalidOperationException or ArgumentException or FormatException)
        {
            return new RenderResult(null, "Template error: " + e.Message);
        }
        return WellFormedError(output, format) is { } malformed ? new RenderResult(output, malformed) : new RenderResult(output, null);
    }

    /// <summary>Null when <paramref name="output"/> is a well-formed document of the format; otherwise where it breaks.</summary>
    public static string? WellFormedError(string output, TemplateFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (format)
        {
            case TemplateFormat.Json:
                try
                {
                    using var document = JsonDocument.Parse(output);
                    return null;
                }
                catch (JsonException e)
                {
                    return $"The rendered body is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {Sources.Inbound.JsonErrorText.Describe(e)}.";
                }
            case TemplateFormat.Xml:
                try
                {
                    XDocument.Parse(output);
                    return null;
                }
                catch (XmlException e)
                {
                    return $"The rendered body is not well-formed XML at line {e.LineNumber}, position {e.LinePosition}: {e.Message.Split(" Line ", 2)[0].TrimEnd('.')}.";
                }
            default:
                return null;
        }
    }

    /// <summary>
    /// The save-time check: renders with every placeholder replaced by a neutral value (<c>0</c>, truthy, an
    /// empty list in loops). When even that output is not well-formed, no item can make it so, and the
    /// template is refused; errors that depend on an item's values show at Example/Test time instead.
    /// </summary>
    public static async Task<string?> CheckAsync(string template, TemplateFormat format)
    {
        var result = await RenderAsync(template, format, context =>
        {
            foreach (var name in new[] { "item", "source", "event", "activity", "changes", "payload" })
                context.SetValue(name, ProbeValue.Instance);
        });
        return result.Error;
    }

    /// <summary>Stands for any value: writes <c>0</c>, has every member, loops zero times.</summary>
    private sealed class ProbeValue : FluidValue
    {
        public static readonly ProbeValue Instance = new();

        public override FluidValues Type => FluidValues.Number;
        public override bool Equals(FluidValue other) => ReferenceEquals(this, other);
        public override bool ToBooleanValue() => true;
        public override decimal ToNumberValue() => 0;
        public override string ToStringValue() => "0";
        public override object ToObjectValue() => 0;

        public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, System.Globalization.CultureInfo cultureInfo)
        {
            writer?.Write('0');
            return ValueTask.CompletedTask;
        }

        public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context) => new(this);
        public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context) => new(this);
        public override IEnumerable<FluidValue> Enumerate(TemplateContext context) => [];
        public override bool Equals(object? obj) => ReferenceEquals(this, obj);
        public override int GetHashCode() => 0;
    }

    /// <summary>The top-level names a template may use.</summary>
    public static readonly IReadOnlySet<string> Roots = new HashSet<string>(StringComparer.Ordinal)
        { "item", "source", "event", "activity", "changes", "payload" };

    /// <summary>For tests and the variables list: the model as one JSON object.</summary>
    public static JsonObject AsJson(TemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var root = new JsonObject();
        foreach (var (name, value) in model.Variables())
            root[name] = value;
        return root;
    }
}
