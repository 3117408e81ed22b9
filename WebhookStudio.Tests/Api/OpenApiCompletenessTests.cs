using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Api;

/// <summary>
/// Walks the published OpenAPI document: every <c>/api/v1</c> operation says what it does, what it answers
/// (success and the errors it can give) and how to sign in. A new endpoint that misses one fails here with its
/// route and what to add.
/// </summary>
public sealed class OpenApiCompletenessTests(SharedStudio shared) : ApiTestBase(shared)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    [Fact]
    public async Task Every_api_operation_has_a_summary_its_responses_and_an_auth_requirement()
    {
        var document = await Api.GetJsonAsync("/openapi/v1.json");
        var schemes = document["components"]?["securitySchemes"]?.AsObject();
        Assert.True(schemes is not null && schemes.ContainsKey("ApiKey") && schemes.ContainsKey("Bearer") && schemes.ContainsKey("Cookie"),
            "The document declares the ApiKey, Bearer and Cookie security schemes.");

        var problems = new List<string>();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith(ApiTestClient.V1, StringComparison.Ordinal)) continue;
            foreach (var method in Methods)
            {
                if (item![method] is not JsonObject operation) continue;
                operations++;
                var missing = Missing(path, operation);
                if (missing.Count > 0)
                    problems.Add($"{method.ToUpperInvariant()} {path}: {string.Join("; ", missing)}");
            }
        }

        Assert.True(operations >= 20, $"Expected the API's operations in the document, found {operations}.");
        Assert.True(problems.Count == 0,
            "OpenAPI gaps (add WithSummary, Produces*/ProducesProblem/ProducesValidationProblem, or RequireAuthorization):\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData("/api/v1/sources/{id}")]
    [InlineData("/api/v1/subscriptions/{id}")]
    [InlineData("/api/v1/bins/{id}")]
    public async Task Resources_that_can_be_changed_take_a_documented_partial_update(string path)
    {
        var document = await Api.GetJsonAsync("/openapi/v1.json");
        var patch = document["paths"]?[path]?["patch"];
        Assert.True(patch is JsonObject, $"PATCH {path} is not in the OpenAPI document.");
        Assert.False(string.IsNullOrWhiteSpace((string?)patch["summary"]));
        Assert.NotNull(patch["requestBody"]);
    }

    [Fact]
    public void Answer_and_body_types_have_names_unique_across_features()
    {
        // The document names a schema by its type's short name: two features' "MappingResponse" would share one schema.
        var names = typeof(Program).Assembly.GetTypes()
            .Where(t => t.IsNested && t.DeclaringType!.Name.EndsWith("Endpoints", StringComparison.Ordinal) && t.IsPublic is false && t.IsNestedPublic)
            .GroupBy(t => t.Name)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.DeclaringType!.Name))}");
        Assert.Empty(names);
    }

    /// <summary>What an operation lacks, each as a short instruction.</summary>
    private static List<string> Missing(string path, JsonObject operation)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
            missing.Add("no summary (WithSummary)");

        var responses = operation["responses"]?.AsObject().Select(r => r.Key).ToHashSet() ?? [];
        if (!responses.Any(code => code.StartsWith('2')))
            missing.Add("no 2xx response type");

        var parameters = operation["parameters"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        // The errors an operation can give follow from its shape.
        var expected = new List<(string Code, string Why)>
        {
            ("401", "every API call may lack credentials"),
            ("403", "every API call may lack the role"),
        };
        if (path.Contains('{', StringComparison.Ordinal))
            expected.Add(("404", "it addresses a resource by id"));
        if (operation["requestBody"] is not null)
            expected.Add(("400", "it takes a body that can be invalid"));
        if (parameters.Any(p => (string?)p["in"] == "query"))
            expected.Add(("400", "it takes query parameters that can be invalid"));
        if (parameters.Any(p => (string?)p["name"] == "Idempotency-Key"))
        {
            expected.Add(("409", "a duplicate can find its first request still running"));
            expected.Add(("422", "an Idempotency-Key can be reused with another body"));
        }
        foreach (var (code, why) in expected.DistinctBy(e => e.Code))
            if (!responses.Contains(code))
                missing.Add($"no {code} response ({why})");

        var security = operation["security"]?.AsArray();
        if (security is null || security.Count == 0)
            missing.Add("no security requirement (RequireAuthorization)");
        return missing;
    }
}
