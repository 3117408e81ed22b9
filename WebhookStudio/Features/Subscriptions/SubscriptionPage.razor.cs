using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using WebhookStudio.Api;
using WebhookStudio.Components;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>
/// Create and edit a subscription. Every check is the service's: the page sends what the user typed and
/// puts each message the service answers next to its field, keeping the input as it was.
/// </summary>
public partial class SubscriptionPage
{
    private const string DefaultShape = """
        {
          "event": "item.updated",
          "occurredAt": "2026-01-31T12:00:00Z",
          "item": { "id": 42, "externalId": "…", "title": "…", "data": { … } },
          "changes": [ { "path": "$.status", "old": "open", "new": "paid" } ],
          "source": { "id": 3, "name": "Shop orders", "app": "shopify" }
        }
        """;

    private static readonly BodyFormat[] TemplateFormats = [BodyFormat.Json, BodyFormat.Xml, BodyFormat.Text, BodyFormat.Form];

    [Inject] private SubscriptionService Subscriptions { get; set; } = default!;
    [Inject] private SourceService Sources { get; set; } = default!;
    [Inject] private ConnectorService Connectors { get; set; } = default!;
    [Inject] private TemplateVariables Variables { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter] public int? Id { get; set; }

    /// <summary>Set by the list's Test action: scroll to Example and Test.</summary>
    [SupplyParameterFromQuery(Name = "try")] public bool? Try { get; set; }

    private SubscriptionFormModel model = new();
    private SubscriptionSummary? saved;
    private string savedFingerprint = "";
    private IDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    /// <summary>Shown under the URL of a saved subscription whose host name resolves to an address the sender refuses.</summary>
    private string? urlWarning;
    private IReadOnlyList<SourceSummary> sources = [];
    private IReadOnlyList<ConnectorView> connectors = [];
    private VariableList? variables;
    private IReadOnlyList<string> conditionFields = [];
    private string? variableSearch;
    private bool loaded, canEdit, saving, showCondition, showMissing, scrolled;
    private int? loadedId;
    private CodeEditor? templateEditor;
    private ElementReference tryAnchor;

    private bool IsNew => Id is null;

    private bool ReadOnly => !canEdit || saved?.Subscription.DeletedAt is not null;

    private bool Dirty => IsNew || model.Fingerprint() != savedFingerprint;

    private string? Subtitle => IsNew
        ? "Send a request to another application when something happens to an item."
        : $"{saved!.Subscription.App} · {saved.SourceName ?? "All sources"} · {SubscriptionLabels.Label(saved.Subscription.Method)} {SubscriptionLabels.Host(saved.Subscription.Url)}";

    private IEnumerable<TemplateVariable> VisibleVariables => (variables?.Variables ?? [])
        .Where(v => string.IsNullOrWhiteSpace(variableSearch) || v.Path.Contains(variableSearch.Trim(), StringComparison.OrdinalIgnoreCase));

    protected override async Task OnParametersSetAsync()
    {
        // The same component serves /new and /{id}; after a create the route changes under it.
        if (loaded && loadedId == Id) return;
        loadedId = Id;
        loaded = false;
        errors = new Dictionary<string, string[]>();
        canEdit = await Access.AllowsAsync(StudioPolicies.Edit);
        sources = (await Sources.ListAsync(new PageRequest(1, PageRequest.MaxSize))).Items;
        connectors = await Connectors.ListAsync();
        if (Id is { } id)
        {
            saved = await Subscriptions.GetAsync(id);
            model = saved is null ? new SubscriptionFormModel() : SubscriptionFormModel.From(saved.Subscription);
            urlWarning = saved is null ? null : await Subscriptions.UrlWarningAsync(saved.Subscription.Url);
        }
        else
        {
            saved = null;
            model = new SubscriptionFormModel();
        }
        savedFingerprint = model.Fingerprint();
        showCondition = model.Condition is not null;
        await LoadVariablesAsync();
        loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Try == true && loaded && !scrolled && saved is not null)
        {
            scrolled = true;
            await JS.InvokeVoidAsync("studio.scrollIntoView", tryAnchor);
        }
    }

    private async Task LoadVariablesAsync()
    {
        variables = await Variables.ForScopeAsync(model.SourceId);
        // Conditions are checked on the item's data: offer its leaf fields.
        conditionFields = variables.Variables
            .Where(v => v.Path.StartsWith("item.data.", StringComparison.Ordinal) && v.Kind is not ("object" or "array") && !v.Path.Contains("[]", StringComparison.Ordinal))
            .Select(v => "$." + v.Path["item.data.".Length..])
            .ToList();
    }

    private async Task ScopeChangedAsync(int? sourceId)
    {
        model.SourceId = sourceId;
        await LoadVariablesAsync();
    }

    private void ToggleActivity(Activities activity, bool on) =>
        model.Activities = on ? model.Activities | activity : model.Activities & ~activity;

    private void ToggleCondition(bool on)
    {
        showCondition = on;
        if (!on) model.Condition = null;
    }

    private void UseTemplate(bool template) => model.BodyFormat = template ? model.TemplateFormat : BodyFormat.Default;

    private async Task InsertVariableAsync(string path)
    {
        var placeholder = $"{{{{ {path} }}}}";
        if (templateEditor is not null && !ReadOnly && await templateEditor.InsertAsync(placeholder))
            return;
        await JS.InvokeVoidAsync("studio.copy", placeholder);
        Snackbar.Add($"Copied {placeholder}", Severity.Info);
    }

    private bool Has(string field) => errors.ContainsKey(field);

    private string? Error(string field) => errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private async Task SaveAsync() => await SaveCoreAsync();

    /// <returns>True when the form is saved (or had nothing to save).</returns>
    private async Task<bool> SaveCoreAsync()
    {
        if (saving) return false;
        saving = true;
        try
        {
            await Access.DemandAsync(StudioPolicies.Edit);
            var input = model.ToInput();
            if (IsNew)
            {
                var created = await Subscriptions.CreateAsync(input);
                errors = new Dictionary<string, string[]>();
                await SigningSecretDialog.ShowAsync(Dialogs, created.SigningSecret,
                    "The subscription is saved. Its requests are signed with this secret.", "Subscription created");
                Navigation.NavigateTo($"subscriptions/{created.Subscription.Id}", replace: true);
                return true;
            }
            var updated = await Subscriptions.UpdateAsync(Id!.Value, input);
            if (updated is null)
            {
                Snackbar.Add("This subscription no longer exists, or was deleted.", Severity.Error);
                return false;
            }
            errors = new Dictionary<string, string[]>();
            showMissing = false;
            saved = await Subscriptions.GetAsync(updated.Id);
            model = SubscriptionFormModel.From(saved!.Subscription);
            urlWarning = await Subscriptions.UrlWarningAsync(updated.Url);
            savedFingerprint = model.Fingerprint();
            Snackbar.Add("Saved.", Severity.Success);
            return true;
        }
        catch (ValidationException invalid)
        {
            errors = invalid.Errors;
            showMissing = true;
            if (errors.Keys.Any(k => k.StartsWith("condition", StringComparison.Ordinal)))
                showCondition = true;
            return false;
        }
        catch (NotAllowedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return false;
        }
        finally
        {
            saving = false;
        }
    }

    private async Task<bool> SaveBeforeTestAsync()
    {
        var ok = await SaveCoreAsync();
        StateHasChanged();
        return ok;
    }

    /// <summary>The form as it is now, for an Example before (or without) saving.</summary>
    private async Task<Subscription> DraftAsync()
    {
        var draft = await Subscriptions.DraftAsync(model.ToInput());
        if (Id is { } id) draft.Id = id;
        return draft;
    }

    private async Task RotateAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate the signing secret?",
            "A new secret signs from now on. The old one keeps signing beside it for 24 hours, so the receiver can switch.",
            yesText: "Rotate", cancelText: "Cancel");
        if (confirmed != true) return;
        try
        {
            await Access.DemandAsync(StudioPolicies.Edit);
            var rotated = await Subscriptions.RotateSecretAsync(Id!.Value);
            if (rotated is null) return;
            await SigningSecretDialog.ShowAsync(Dialogs, rotated.SigningSecret,
                "The previous secret keeps signing beside this one for 24 hours.", "New signing secret");
        }
        catch (NotAllowedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }
}
