using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Api;

/// <summary>
/// Makes the generated OpenAPI document say what the API does, as linters and client generators read it: operation
/// ids and descriptions, tags, license and contact, the server without a trailing slash, integers typed as integers,
/// free-form JSON that may be null, filters and conditions as condition groups, and the <c>traceId</c> every
/// ProblemDetails carries.
/// </summary>
internal sealed class OpenApiConventions(IOptions<AppOptions> appOptions) :
    IOpenApiDocumentTransformer, IOpenApiOperationTransformer, IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var success = description.SupportedResponseTypes.Where(r => r.StatusCode is >= 200 and < 300).ToList();
        operation.OperationId ??= OpenApiOperationIds.For(
            description.HttpMethod ?? "GET",
            description.RelativePath ?? "",
            answersList: success.Any(r => IsList(r.Type)),
            answersCreated: success.Any(r => r.StatusCode == StatusCodes.Status201Created));
        if (string.IsNullOrWhiteSpace(operation.Description) && OpenApiDescriptions.Operations.TryGetValue(operation.OperationId, out var text))
            operation.Description = text;
        return Task.CompletedTask;
    }

    /// <summary>Every list the API answers is a <see cref="PagedList{T}"/>.</summary>
    private static bool IsList(Type? type) => type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(PagedList<>);

    /// <summary>
    /// The server reads a number sent as a string ("5") too, which the generator documents as
    /// <c>["integer","string"]</c> with a pattern; the API writes numbers, and clients should send them.
    /// </summary>
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var server = PublicBaseUrl() ?? document.Servers?.FirstOrDefault()?.Url;
        document.Servers = server is null ? [] : [new OpenApiServer { Url = server.TrimEnd('/') }];

        document.Info.Title = "Webhook Studio API";
        document.Info.Description = "Everything the studio's pages do, under /api/v1. Send an API key as `Authorization: Bearer <key>` "
            + "or `X-Api-Key: <key>`: reads need any role, changes need Editor or Admin, users and API keys need Admin. "
            + "Lists take `page` and `pageSize`; every error is a ProblemDetails.";
        document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
        document.Info.Contact = new OpenApiContact
        {
            Name = "The administrators of this Webhook Studio",
            Url = Uri.TryCreate(server?.TrimEnd('/') + "/", UriKind.Absolute, out var home) ? home : null,
        };

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (string.IsNullOrWhiteSpace(tag.Description) && tag.Name is { } name && OpenApiDescriptions.Tags.TryGetValue(name, out var text))
                tag.Description = text;

        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var problem in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
            if (schemas.TryGetValue(problem, out var found) && found is OpenApiSchema details)
            {
                details.Properties ??= new Dictionary<string, IOpenApiSchema>();
                details.Properties["traceId"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "Identifies the request in the studio's logs; quote it when reporting a problem.",
                };
            }
        if (schemas.TryGetValue("JsonElement", out var any) && any is OpenApiSchema anyJson)
            anyJson.Description ??= "Any JSON value, null included.";
        foreach (var schema in schemas.Values)
            CollapseNullOrAnything(schema, schemas, []);
        DescribeConditionGroups(schemas, document);

        RequireUniqueOperationIds(document);
        return Task.CompletedTask;
    }

    private string? PublicBaseUrl() => string.IsNullOrWhiteSpace(appOptions.Value.PublicBaseUrl) ? null : appOptions.Value.PublicBaseUrl;

    /// <summary>
    /// A nullable free-form property comes out as <c>oneOf: [{type: null}, {$ref: JsonElement}]</c>, where
    /// JsonElement is <c>{}</c>: a null then matches both branches and fails <c>oneOf</c>. The reference alone says it.
    /// </summary>
    private static void CollapseNullOrAnything(IOpenApiSchema schema, IDictionary<string, IOpenApiSchema> components, HashSet<OpenApiSchema> seen)
    {
        if (schema is not OpenApiSchema node || !seen.Add(node))
            return;
        if (node.Properties is { } properties)
            foreach (var (name, property) in properties.ToList())
            {
                if (NullOrAnything(property, components) is { } anything)
                    properties[name] = anything;
                else
                    CollapseNullOrAnything(property, components, seen);
            }
        if (node.Items is { } items)
        {
            if (NullOrAnything(items, components) is { } anything)
                node.Items = anything;
            else
                CollapseNullOrAnything(items, components, seen);
        }
        if (node.AdditionalProperties is { } additional)
        {
            if (NullOrAnything(additional, components) is { } anything)
                node.AdditionalProperties = anything;
            else
                CollapseNullOrAnything(additional, components, seen);
        }
        foreach (var branch in (node.OneOf ?? []).Concat(node.AnyOf ?? []).Concat(node.AllOf ?? []))
            CollapseNullOrAnything(branch, components, seen);
    }

    /// <summary>The reference to a schema that accepts anything, when <paramref name="schema"/> is "null or that".</summary>
    private static IOpenApiSchema? NullOrAnything(IOpenApiSchema schema, IDictionary<string, IOpenApiSchema> components)
    {
        if (schema is not OpenApiSchema { OneOf: { Count: 2 } branches })
            return null;
        var isNull = branches.FirstOrDefault(b => b is OpenApiSchema { Type: JsonSchemaType.Null });
        var other = branches.FirstOrDefault(b => b != isNull);
        return isNull is not null && other is OpenApiSchemaReference { Reference.Id: { } id }
            && components.TryGetValue(id, out var target) && AcceptsAnything(target)
            ? other
            : null;
    }

    private static bool AcceptsAnything(IOpenApiSchema schema) =>
        schema.Type is null && schema.Properties is not { Count: > 0 } && schema.Items is null && schema.OneOf is not { Count: > 0 }
        && schema.AnyOf is not { Count: > 0 } && schema.AllOf is not { Count: > 0 } && schema.Enum is not { Count: > 0 };

    /// <summary>The properties that hold a condition group, which the C# types carry as raw JSON.</summary>
    private static readonly (string Schema, string Property)[] ConditionGroupProperties =
        [("SourceResponse", "filter"), ("SubscriptionResponse", "condition"), ("PreviewBody", "filter")];

    /// <summary>
    /// A source's filter and a subscription's condition in the JSON form <see cref="FilterNodeJsonConverter"/> reads and
    /// writes (docs/api.md, "Condition groups"): a group has either <c>all</c> or <c>any</c>, a condition
    /// <c>path</c>, <c>op</c> and maybe <c>value</c>; nothing else is accepted.
    /// </summary>
    private static void DescribeConditionGroups(IDictionary<string, IOpenApiSchema> schemas, OpenApiDocument document)
    {
        var targets = ConditionGroupProperties
            .Where(t => schemas.TryGetValue(t.Schema, out var owner) && owner.Properties?.ContainsKey(t.Property) == true)
            .ToList();
        if (targets.Count == 0)
            return;
        IOpenApiSchema Children(string mode) => new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchemaReference("FilterNode", document),
            Description = $"Holds when {mode} of these hold.",
        };
        schemas["ConditionGroup"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Conditions and groups (up to 8 levels) joined by all (AND) or any (OR); the group has exactly one of the two.",
            Properties = new Dictionary<string, IOpenApiSchema> { ["all"] = Children("all"), ["any"] = Children("any") },
            MinProperties = 1,
            MaxProperties = 1,
            AdditionalPropertiesAllowed = false,
        };
        schemas["Condition"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Holds when any value the path selects passes the operator.",
            Required = new HashSet<string> { "path", "op" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["path"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JSONPath, or a bare field name meaning $.name." },
                ["op"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. FilterOperators.All.Select(op => (JsonNode)op)] },
                ["value"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String },
                    Description = "What to compare with; an array of values for in; left out for exists and not_exists.",
                },
            },
            AdditionalPropertiesAllowed = false,
        };
        schemas["FilterNode"] = new OpenApiSchema
        {
            Description = "A condition or a nested group.",
            OneOf = [new OpenApiSchemaReference("Condition", document), new OpenApiSchemaReference("ConditionGroup", document)],
        };
        foreach (var (schema, property) in targets)
            schemas[schema].Properties![property] = new OpenApiSchema
            {
                Description = "A condition group; null (or left out) accepts everything.",
                OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchemaReference("ConditionGroup", document)],
            };
    }

    /// <summary>Generated clients name methods after operation ids: two operations with one id would lose one.</summary>
    private static void RequireUniqueOperationIds(OpenApiDocument document)
    {
        var duplicates = (document.Paths ?? new OpenApiPaths())
            .SelectMany(path => (path.Value.Operations ?? new Dictionary<HttpMethod, OpenApiOperation>())
                .Select(operation => (Id: operation.Value.OperationId, Where: $"{operation.Key} {path.Key}")))
            .GroupBy(operation => operation.Id)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(o => o.Where))}")
            .ToList();
        if (duplicates.Count > 0)
            throw new InvalidOperationException("Operation ids must be unique; name one of each in OpenApiOperationIds: " + string.Join("; ", duplicates));
    }
}
