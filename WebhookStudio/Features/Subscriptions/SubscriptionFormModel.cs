using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>A name/value row being edited (query parameter, header, or response mapping).</summary>
public sealed class EditableRow
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>
/// What the subscription form edits: mutable so inputs can bind to it, turned into a <see cref="SubscriptionInput"/>
/// for the service, which does every check. Whatever the user typed stays here when the service refuses it.
/// </summary>
public sealed class SubscriptionFormModel
{
    public string Name { get; set; } = "";
    public string App { get; set; } = "";
    public int? SourceId { get; set; }
    public Activities Activities { get; set; } = Activities.ItemCreated | Activities.ItemUpdated;
    public ConditionGroup? Condition { get; set; }
    public SubscriptionMethod Method { get; set; } = SubscriptionMethod.Post;
    public string Url { get; set; } = "";
    public List<EditableRow> QueryParameters { get; } = [];
    public List<EditableRow> Headers { get; } = [];
    public bool ParametersInHeaders { get; set; }
    public int? ConnectorId { get; set; }
    public BodyFormat BodyFormat { get; set; } = BodyFormat.Default;

    /// <summary>The last format chosen for a template, so switching Default → Template comes back to it.</summary>
    public BodyFormat TemplateFormat { get; set; } = BodyFormat.Json;
    public string BodyTemplate { get; set; } = "";
    public List<EditableRow> ResponseMapping { get; } = [];
    public int MaxAttempts { get; set; } = 8;
    public bool PreserveOrder { get; set; }
    public bool Active { get; set; } = true;

    public bool UsesTemplate => BodyFormat != BodyFormat.Default;

    public static SubscriptionFormModel From(Subscription s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var model = new SubscriptionFormModel
        {
            Name = s.Name, App = s.App, SourceId = s.SourceId, Activities = s.Activities,
            Condition = s.Condition is null ? null : ConditionGroup.Parse(s.Condition), Method = s.Method, Url = s.Url,
            ParametersInHeaders = s.ParametersInHeaders, ConnectorId = s.ConnectorId, BodyFormat = s.BodyFormat,
            TemplateFormat = s.BodyFormat == BodyFormat.Default ? BodyFormat.Json : s.BodyFormat, BodyTemplate = s.BodyTemplate ?? "",
            MaxAttempts = s.MaxAttempts, PreserveOrder = s.PreserveOrder, Active = s.Active,
        };
        model.QueryParameters.AddRange(s.QueryParameters.Select(p => new EditableRow { Name = p.Name, Value = p.Value }));
        model.Headers.AddRange(s.Headers.Select(h => new EditableRow { Name = h.Name, Value = h.Value }));
        model.ResponseMapping.AddRange(s.ResponseMapping.Select(r => new EditableRow { Name = r.Path, Value = r.Field }));
        return model;
    }

    public SubscriptionInput ToInput() => new()
    {
        Name = Name, App = App, SourceId = SourceId, Activities = Activities, Condition = Condition, Method = Method, Url = Url,
        QueryParameters = QueryParameters.Select(r => new NameValue(r.Name, r.Value)).ToList(),
        Headers = Headers.Select(r => new NameValue(r.Name, r.Value)).ToList(),
        ParametersInHeaders = Method == SubscriptionMethod.Get && ParametersInHeaders,
        ConnectorId = ConnectorId,
        // A GET has no body: its template is kept in the form (should the user switch back) but not sent.
        BodyFormat = Method == SubscriptionMethod.Get ? BodyFormat.Default : BodyFormat,
        BodyTemplate = UsesTemplate && Method != SubscriptionMethod.Get ? BodyTemplate : null,
        ResponseMapping = ResponseMapping.Select(r => new ResponseMappingRule(r.Name, r.Value)).ToList(),
        MaxAttempts = MaxAttempts, PreserveOrder = PreserveOrder, Active = Active,
    };

    /// <summary>A comparable snapshot, to tell whether the form differs from what is saved.</summary>
    public string Fingerprint()
    {
        var input = ToInput();
        return string.Join('\u001f', input.Name, input.App, input.SourceId, input.Activities, input.Condition?.ToJson(), input.Method, input.Url,
            string.Join('\u001e', input.QueryParameters), string.Join('\u001e', input.Headers), input.ParametersInHeaders, input.ConnectorId,
            input.BodyFormat, input.BodyTemplate, string.Join('\u001e', input.ResponseMapping), input.MaxAttempts, input.PreserveOrder, input.Active);
    }
}
