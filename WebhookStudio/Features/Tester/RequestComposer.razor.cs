using Microsoft.AspNetCore.Components;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound;

namespace WebhookStudio.Features.Tester;

public partial class RequestComposer
{
    private static readonly (string Mode, string ContentType)[] Modes =
        [("JSON", "application/json"), ("XML", "application/xml"), ("Text", "text/plain")];

    private TesterRequest draft = new();
    private List<QueryRow> queryRows = [];
    private TesterRequest? shown;
    private TesterRequest? emitted;
    private int activeTab;

    /// <summary>The request to show; replace it (a new instance) to fill the form, e.g. from history.</summary>
    [Parameter, EditorRequired] public TesterRequest Request { get; set; } = new();

    /// <summary>Every edit, as a new copy of the request.</summary>
    [Parameter] public EventCallback<TesterRequest> RequestChanged { get; set; }

    [Parameter] public EventCallback<TesterRequest> OnSend { get; set; }
    [Parameter] public bool Sending { get; set; }
    [Parameter] public IReadOnlyList<ConnectorView> Connectors { get; set; } = [];

    /// <summary>Validation messages per field (as the API names them), shown next to the fields.</summary>
    [Parameter] public IReadOnlyDictionary<string, string[]>? Errors { get; set; }

    protected override void OnParametersSet()
    {
        // Our own edits come back as the parameter: keep the rows as typed (a row without a name is not in the URL yet).
        if (ReferenceEquals(Request, shown) || ReferenceEquals(Request, emitted)) return;
        shown = Request;
        draft = Request.Copy();
        queryRows = QueryRows.Parse(draft.Url);
        if (!TesterRequest.HasBody(draft.Method) && activeTab == 3) activeTab = 0;
    }

    private string? ErrorFor(string field) => Errors?.GetValueOrDefault(field) is { Length: > 0 } messages ? string.Join(" ", messages) : null;

    private string AuthTabText => draft.ConnectorId is not null || draft.SignAsSubscriptionId is not null ? "Auth •" : "Auth";

    private string BodyMode => TesterText.LanguageOf(draft.ContentType, draft.Body) switch { "json" => "JSON", "xml" => "XML", _ => "Text" };

    private static string ConnectorKindName(ConnectorView connector) => connector.Kind.ToString();

    private Task ChangedAsync()
    {
        emitted = draft.Copy();
        return RequestChanged.InvokeAsync(emitted);
    }

    private Task MethodChangedAsync(string method)
    {
        draft.Method = method;
        if (!TesterRequest.HasBody(method) && activeTab == 3) activeTab = 0;
        return ChangedAsync();
    }

    private Task UrlChangedAsync(string url)
    {
        draft.Url = url ?? "";
        queryRows = QueryRows.Parse(draft.Url);
        return ChangedAsync();
    }

    private Task QueryNameChangedAsync(QueryRow row, string name)
    {
        row.Name = name ?? "";
        return SyncUrlAsync();
    }

    private Task QueryValueChangedAsync(QueryRow row, string value)
    {
        row.Value = value ?? "";
        return SyncUrlAsync();
    }

    private Task RemoveQueryAsync(QueryRow row)
    {
        queryRows.Remove(row);
        return SyncUrlAsync();
    }

    private void AddQuery() => queryRows.Add(new QueryRow());

    private Task SyncUrlAsync()
    {
        draft.Url = QueryRows.Build(draft.Url, queryRows);
        return ChangedAsync();
    }

    private Task HeaderChangedAsync(int index, string? name, string? value)
    {
        var header = draft.Headers[index];
        draft.Headers[index] = new HeaderLine(name ?? header.Name, value ?? header.Value);
        return ChangedAsync();
    }

    private Task AddHeaderAsync()
    {
        draft.Headers.Add(new HeaderLine("", ""));
        return ChangedAsync();
    }

    private Task RemoveHeaderAsync(int index)
    {
        draft.Headers.RemoveAt(index);
        return ChangedAsync();
    }

    private Task ConnectorChangedAsync(int? connectorId)
    {
        draft.ConnectorId = connectorId;
        return ChangedAsync();
    }

    private Task StopSigningAsync()
    {
        draft.SignAsSubscriptionId = null;
        return ChangedAsync();
    }

    private Task ModeChangedAsync(string contentType)
    {
        draft.ContentType = contentType;
        return ChangedAsync();
    }

    private Task ContentTypeChangedAsync(string contentType)
    {
        draft.ContentType = contentType;
        return ChangedAsync();
    }

    private Task BodyChangedAsync(string body)
    {
        draft.Body = body;
        return ChangedAsync();
    }

    private Task SendAsync() => OnSend.InvokeAsync(draft.Copy());
}
