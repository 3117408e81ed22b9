using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Sources.Pipeline;

/// <summary>A source's mapping and filter, parsed once per batch rather than once per payload.</summary>
public sealed record SourcePlan(int SourceId, EntityMapping Mapping, ConditionGroup? Filter, FetchMode FetchMode, string? SetupError)
{
    public static SourcePlan For(Source source)
    {
        ConditionGroup? filter = null;
        string? error = null;
        if (string.IsNullOrEmpty(source.IdPath))
            error = "The source has no unique id path yet.";
        else if (source.Filter is not null)
        {
            try { filter = ConditionGroup.Parse(source.Filter); }
            catch (System.Text.Json.JsonException e) { error = "The saved filter cannot be read: " + e.Message; }
        }
        if (error is null && EntityMapper.Validate(source.Mapping) is { IsValid: false } invalid)
            error = "The mapping is not valid: " + string.Join(" ", invalid.Errors.Values);
        return new SourcePlan(source.Id, source.Mapping, filter, source.FetchMode, error);
    }
}
