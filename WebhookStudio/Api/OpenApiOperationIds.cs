using System.Text.RegularExpressions;

namespace WebhookStudio.Api;

/// <summary>
/// The operationId of every operation, derived from its method and route so that it is stable and reads as what the
/// call does: <c>listSources</c>, <c>getSource</c>, <c>createSource</c>, <c>patchSource</c>, <c>pauseSource</c>,
/// <c>rotateSourceToken</c>. Client generators name their methods after it.
/// </summary>
public static partial class OpenApiOperationIds
{
    /// <summary>Routes the rules below would name awkwardly ("sampleSource"), named by hand.</summary>
    private static readonly Dictionary<string, string> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST /hooks/{token}"] = "receiveHook",
        ["GET /hooks/{token}"] = "answerHookCheck",
        ["HEAD /hooks/{token}"] = "answerHookHeadCheck",
        ["POST /api/v1/sources/{id}/sample"] = "sendSourceSample",
        ["POST /api/v1/subscriptions/{id}/example"] = "getSubscriptionExample",
        ["POST /api/v1/subscriptions/{id}/replay-failed"] = "replaySubscriptionFailedDeliveries",
        ["GET /api/v1/subscriptions/deleted"] = "listDeletedSubscriptions",
        ["POST /api/v1/notifications/{id}/read"] = "markNotificationRead",
        ["POST /api/v1/tester/send"] = "sendTesterRequest",
        ["POST /api/v1/tester/collections/import"] = "importTesterCollection",
        ["GET /api/v1/tester/collections/{id}/export"] = "exportTesterCollection",
    };

    /// <param name="method">The HTTP method.</param>
    /// <param name="route">The route as documented, e.g. <c>/api/v1/sources/{id}/payloads</c>.</param>
    /// <param name="answersList">Whether its success answer is a list (a GET then reads "list…").</param>
    /// <param name="answersCreated">Whether its success answer is 201 Created (a POST to a collection then reads "create…").</param>
    public static string For(string method, string route, bool answersList, bool answersCreated)
    {
        var verb = method.ToUpperInvariant();
        // "{id:int}" → "{id}": ids follow the route as documented, not its constraints.
        var path = "/" + RouteConstraint().Replace(route.Trim('/'), "{$1}");
        if (Named.TryGetValue($"{verb} {path}", out var named))
            return named;

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path.StartsWith(StudioApi.Prefix + "/", StringComparison.OrdinalIgnoreCase))
            segments = segments[2..];
        var literals = segments.Where(s => !s.StartsWith('{')).ToList();
        var endsWithParameter = segments.Length > 0 && segments[^1].StartsWith('{');
        // Every resource named before the last is one thing ("sources/{id}/payloads": source, payloads); the last
        // is one thing too when the route addresses a single one by id.
        string Resource(IEnumerable<string> words, bool singularLast)
        {
            var list = words.ToList();
            return string.Concat(list.Select((w, i) => Pascal(i < list.Count - 1 || singularLast ? Singular(w) : w)));
        }

        return verb switch
        {
            "GET" when endsWithParameter => "get" + Resource(literals, true),
            "GET" => (answersList ? "list" : "get") + Resource(literals, false),
            "PATCH" => "patch" + Resource(literals, endsWithParameter),
            "PUT" => "replace" + Resource(literals, endsWithParameter),
            "DELETE" => "delete" + Resource(literals, endsWithParameter),
            "POST" when endsWithParameter => "post" + Resource(literals, true),
            // A POST to a collection (".../subscriptions") creates one; a POST to a verb (".../pause") is an action.
            "POST" when answersCreated && literals[^1].EndsWith('s') => "create" + Resource(literals, true),
            "POST" => Action(literals, Resource),
            _ => method.ToLowerInvariant() + Resource(literals, endsWithParameter),
        };
    }

    /// <summary>"sources", "rotate-token" → rotateSourceToken: the verb, the resource, then the rest of the action.</summary>
    private static string Action(List<string> literals, Func<IEnumerable<string>, bool, string> resource)
    {
        var action = literals[^1].Split('-');
        return action[0].ToLowerInvariant() + resource(literals.Take(literals.Count - 1), true) + string.Concat(action.Skip(1).Select(Pascal));
    }

    private static string Singular(string word) =>
        word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
        : word.EndsWith('s') ? word[..^1]
        : word;

    /// <summary>"api-keys" → ApiKeys.</summary>
    private static string Pascal(string word) =>
        string.Concat(word.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    [GeneratedRegex(@"\{([^:}=?]+)[^}]*\}")]
    private static partial Regex RouteConstraint();
}
