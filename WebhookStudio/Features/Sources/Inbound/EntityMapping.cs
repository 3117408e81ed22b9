using Newtonsoft.Json.Linq;

namespace WebhookStudio.Features.Sources.Inbound;

/// <summary>
/// Where the entities are in a payload, and which fields of an entity are its id and title.
/// <see cref="IdPath"/> and <see cref="TitlePath"/> are relative to the entity.
/// </summary>
/// <param name="EntityPath">JSONPath from the payload root; <c>$</c> (or empty) is the whole payload.</param>
/// <param name="IdPath">Required; <c>id</c>, <c>$.id</c> and <c>data.id</c> all work.</param>
/// <param name="TitlePath">Optional.</param>
public sealed record EntityMapping(string EntityPath = EntityMapping.WholePayload, string IdPath = "", string? TitlePath = null)
{
    public const string WholePayload = "$";
}

/// <summary>Errors keyed by field: "entityPath", "idPath", "titlePath".</summary>
public sealed record MappingValidation(IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>One entity found in a payload; when <see cref="Error"/> is set it cannot become an item.</summary>
public sealed record ExtractedEntity(JToken Data, string? ExternalId, string? Title, string? Error)
{
    public bool IsValid => Error is null;
}
