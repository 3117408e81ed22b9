using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// The studio's published OpenAPI document as a contract for answers: <see cref="AssertMatchesAsync"/> finds the
/// operation a response answered, the schema documented for its status and media type, and validates the body
/// against it (JSON Schema 2020-12, the dialect of OpenAPI 3.1), failing with each JSON pointer and reason.
/// </summary>
public sealed partial class OpenApiContract
{
    private readonly JsonObject document;
    private readonly JsonObject definitions;
    private readonly List<(string Template, Regex Pattern, int Literals)> paths;
    private readonly Dictionary<string, JsonSchema> schemas = [];

    private OpenApiContract(JsonObject document)
    {
        this.document = document;
        // Component references become references into $defs of each schema built below.
        definitions = (JsonObject)RewriteReferences(document["components"]?["schemas"]?.DeepClone() ?? new JsonObject());
        paths = document["paths"]!.AsObject()
            .Select(p => (p.Key, new Regex("^" + Parameter().Replace(Regex.Escape(p.Key).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$"),
                p.Key.Split('/').Count(s => s.Length > 0 && !s.StartsWith('{'))))
            .ToList();
    }

    /// <summary>Every (method, path template) an answer was checked against, to tell which operations a test covered.</summary>
    public HashSet<(string Method, string Template)> Checked { get; } = [];

    /// <summary>The document the app serves to <paramref name="http"/> (a client that may read it).</summary>
    public static async Task<OpenApiContract> LoadAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = await http.GetStringAsync("/openapi/v1.json");
        return new OpenApiContract(JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Every operation of the document as (method, path template), methods in lower case.</summary>
    public IEnumerable<(string Method, string Template)> Operations =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Value is JsonObject operation && operation["responses"] is not null)
            .Select(o => (o.Key, p.Key)));

    /// <summary>Asserts that <paramref name="response"/> is documented and its body matches the documented schema; answers the body.</summary>
    public async Task<JsonElement> AssertMatchesAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var request = response.RequestMessage ?? throw new ArgumentException("The response has no request.", nameof(response));
        var body = await response.Content.ReadAsStringAsync();
        AssertMatches(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType, body);
        if (body.Length == 0 || response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) != true)
            return default;
        using var parsed = JsonDocument.Parse(body);
        return parsed.RootElement.Clone();
    }

    public void AssertMatches(string method, string path, int status, string? mediaType, string body)
    {
        var verb = method.ToLowerInvariant();
        var template = paths.Where(p => p.Pattern.IsMatch(path) && document["paths"]![p.Template]![verb] is not null)
            .OrderByDescending(p => p.Literals).Select(p => p.Template).FirstOrDefault();
        Assert.True(template is not null, $"{method} {path} is not in the OpenAPI document.");
        Checked.Add((verb, template));
        var where = $"{method} {template} answering {status}";

        var documented = document["paths"]![template]![verb]!["responses"]!.AsObject();
        var answer = documented[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? documented[$"{status / 100}XX"] ?? documented["default"];
        Assert.True(answer is not null, $"{where}: the document lists no {status} response (it lists {string.Join(", ", documented.Select(r => r.Key))}). Body: {body}");
        if (answer["content"] is not JsonObject content)
        {
            Assert.True(body.Length == 0, $"{where}: the document says no body, the answer has one: {body}");
            return;
        }
        var media = mediaType is null ? null : content[mediaType];
        Assert.True(media is not null,
            $"{where}: answered {mediaType ?? "no content type"}, the document lists {string.Join(", ", content.Select(c => c.Key))}.");
        if (media["schema"] is not JsonObject schema || !mediaType!.EndsWith("json", StringComparison.Ordinal))
            return;

        var key = $"{verb} {template} {status} {mediaType}";
        if (!schemas.TryGetValue(key, out var compiled))
            schemas[key] = compiled = Compile(schema);
        JsonElement instance;
        try
        {
            using var parsed = JsonDocument.Parse(body);
            instance = parsed.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"{where}: the body is not JSON ({e.Message}): {body}");
            return;
        }
        var result = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{where}: the body does not match the documented schema:\n{Reasons(result)}\nBody: {Shorten(body)}");
    }

    private JsonSchema Compile(JsonObject responseSchema)
    {
        var root = (JsonObject)RewriteReferences(responseSchema.DeepClone());
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = definitions.DeepClone();
        // Its own registry and address: schemas of other operations and other tests never meet.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(root.ToJsonString(), options, new Uri($"https://openapi.webhook-studio.test/{Guid.NewGuid():N}"));
    }

    private static JsonNode RewriteReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "$ref" && value is JsonValue reference && ((string?)reference)?.StartsWith("#/components/schemas/", StringComparison.Ordinal) == true)
                        obj[name] = "#/$defs/" + ((string)reference!)["#/components/schemas/".Length..];
                    else if (value is not null)
                        RewriteReferences(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    if (item is not null)
                        RewriteReferences(item);
                break;
        }
        return node;
    }

    private static string Reasons(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"  at {d.InstanceLocation} ({d.EvaluationPath}): {string.Join("; ", d.Errors!.Values)}")
            .Distinct());

    private static string Shorten(string body) => body.Length <= 2000 ? body : body[..2000] + "…";

    [GeneratedRegex(@"\\?\{[^}]+\}")]
    private static partial Regex Parameter();
}
