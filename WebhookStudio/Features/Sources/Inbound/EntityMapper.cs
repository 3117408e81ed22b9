using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>Finds the entities in a payload and reads their id and title (Newtonsoft JSONPath).</summary>
public static class EntityMapper
{
    /// <summary>The longest external id an item keeps (the column's length).</summary>
    public const int MaxIdLength = 500;

    public static MappingValidation Validate(EntityMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);

        var errors = new Dictionary<string, string>();
        if (PathError(mapping.EntityPath) is { } entityError)
        {
            errors["entityPath"] = entityError;
        }

        if (string.IsNullOrWhiteSpace(mapping.IdPath))
        {
            errors["idPath"] = "The id path is required";
        }
        else if (PathError(mapping.IdPath) is { } idError)
        {
            errors["idPath"] = idError;
        }

        if (PathError(mapping.TitlePath) is { } titleError)
        {
            errors["titlePath"] = titleError;
        }
        return new MappingValidation(errors);
    }

    /// <summary>
    /// The entities at the entity path, in document order. A selected array stands for its elements, so
    /// <c>$</c> on an array payload (HubSpot) and <c>$.commits</c> both give one entity per element.
    /// A path that selects nothing gives an empty list.
    /// </summary>
    /// <exception cref="ArgumentException">The mapping does not pass <see cref="Validate"/>.</exception>
    public static IReadOnlyList<ExtractedEntity> Extract(EntityMapping mapping, JToken payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var validation = Validate(mapping);
        if (!validation.IsValid)
        {
            throw new ArgumentException(
                "Invalid entity mapping: " + string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {e.Value}")),
                nameof(mapping));
        }

        return [.. SelectEntities(mapping.EntityPath, payload).Select(candidate => ExtractOne(mapping, candidate))];
    }

    /// <summary>
    /// The entity tokens at <paramref name="entityPath"/> (a selected array stands for its elements), without
    /// reading ids: the mapping editor counts entities before an id path is chosen.
    /// </summary>
    /// <exception cref="ArgumentException">The path is not a valid JSONPath.</exception>
    public static IReadOnlyList<JToken> SelectEntities(string? entityPath, JToken payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (PathError(entityPath) is { } error)
        {
            throw new ArgumentException(error, nameof(entityPath));
        }

        var entities = new List<JToken>();
        foreach (var selected in payload.SelectTokens(Normalize(entityPath)))
        {
            if (selected is JArray array)
            {
                entities.AddRange(array);
            }
            else
            {
                entities.Add(selected);
            }
        }
        return entities;
    }

    /// <summary>The tokens a path relative to an entity selects, as id and title paths are read.</summary>
    public static IEnumerable<JToken> SelectRelative(JToken entity, string path) => entity.SelectTokens(Normalize(path));

    private static ExtractedEntity ExtractOne(EntityMapping mapping, JToken entity)
    {
        if (entity is not JObject)
        {
            return new ExtractedEntity(entity, null, null, $"The entity is {JsonTokens.Describe(entity)}; it must be an object");
        }

        // PostgreSQL text cannot hold U+0000, which JSON allows in strings; a title loses it, an id is refused below.
        var title = string.IsNullOrWhiteSpace(mapping.TitlePath)
            ? null
            : entity.SelectTokens(Normalize(mapping.TitlePath)).Select(JsonTokens.ScalarText).FirstOrDefault()?.Replace("\0", "", StringComparison.Ordinal);
        var (id, error) = ReadId(entity, mapping.IdPath);
        return new ExtractedEntity(entity, id, title, error);
    }

    private static (string? Id, string? Error) ReadId(JToken entity, string path)
    {
        var matches = entity.SelectTokens(Normalize(path)).Take(2).ToList();
        if (matches.Count == 0)
        {
            return (null, $"No value at id path '{path}'");
        }
        if (matches.Count > 1)
        {
            return (null, $"Id path '{path}' matches several values; it must match one");
        }

        var token = matches[0];
        if (token.Type is not (JTokenType.String or JTokenType.Integer or JTokenType.Float))
        {
            return (null, $"Id at '{path}' is {JsonTokens.Describe(token)}; it must be a string or number");
        }
        var id = JsonTokens.ScalarText(token);
        if (string.IsNullOrWhiteSpace(id))
            return (null, $"Id at '{path}' is empty");
        if (id.Length > MaxIdLength)
            return (null, $"Id at '{path}' has {id.Length} characters; at most {MaxIdLength} are kept");
        return id.Contains('\0', StringComparison.Ordinal) ? (null, $"Id at '{path}' contains a NUL character") : (id, null);
    }

    private static string? PathError(string? path)
    {
        try
        {
            // Newtonsoft parses the whole path up front and evaluates lazily, so this only checks the syntax.
            _ = JValue.CreateNull().SelectTokens(Normalize(path));
            return null;
        }
        catch (JsonException e)
        {
            return $"Invalid JSONPath: {e.Message}";
        }
        catch (IndexOutOfRangeException)
        {
            // Newtonsoft's path parser runs off the end of some unfinished filters instead of reporting them.
            return "Invalid JSONPath: the path ends before it is complete";
        }
    }

    // Newtonsoft's "$" is the token the path is evaluated on, which is what makes "$.id" relative to the entity.
    // "@" is what JSONPath users type for "the current node".
    private static string Normalize(string? path)
    {
        var trimmed = path?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return EntityMapping.WholePayload;
        }
        return trimmed[0] == '@' ? "$" + trimmed[1..] : trimmed;
    }
}
