using System.Text.Json;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Filtering;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Settings;

/// <summary>
/// Edits how a source's payloads become items (entity, id and title paths, fetch mode, filter) on a draft, with
/// the recent payloads as a live preview, and saves it through <see cref="SourceService"/>. The setup wizard shows
/// it step by step (<see cref="Wizard"/>); the source's Settings tab shows it whole.
/// </summary>
public partial class SourceSettingsEditor
{
    public const int MapStep = 2;
    public const int FilterStep = 3;
    public const int GoLiveStep = 4;

    [Inject] private SourceService Sources { get; set; } = default!;
    [Inject] private PayloadQueries PayloadQueries { get; set; } = default!;
    [Inject] private MappingPreviewService Previews { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter, EditorRequired] public int SourceId { get; set; }

    /// <summary>Step by step (map, filter, save and go live) instead of every section at once.</summary>
    [Parameter] public bool Wizard { get; set; }

    /// <summary>Told after each successful save, e.g. for a page header to refresh.</summary>
    [Parameter] public EventCallback<Source> OnSaved { get; set; }

    private Source? source;
    private MappingSession? session;
    private bool loaded;
    private bool canEdit;
    private int step = MapStep;
    private int computeVersion;

    // The draft.
    private bool wholePayload = true;
    private string entityPath = EntityMapping.WholePayload;
    private string idPath = "";
    private string titlePath = "";
    private FetchMode fetchMode = FetchMode.Update;
    private bool filterOn;
    private ConditionGroup? filter;
    private string filterJson = "";
    private string? filterParseError;
    private IReadOnlyList<FilterError> filterErrors = [];
    private bool showFilterJson;

    // Errors the server gave on the last save, by field; a field's error is dropped when it is edited.
    private readonly Dictionary<string, string> saveErrors = [];
    private bool saveAttempted;
    private bool saving;
    private string? savedSnapshot;

    // The preview.
    private long? selectedPayloadId;
    private JToken? selectedDocument;
    private string selectedText = "";
    private bool selectedIsForm;
    private MappingCoverage coverage = MappingCoverage.Empty;
    private IReadOnlyList<ExtractedEntity> entities = [];
    private string? entityError;

    private EntityMapping Draft => new(wholePayload ? EntityMapping.WholePayload : entityPath, idPath, string.IsNullOrWhiteSpace(titlePath) ? null : titlePath);

    /// <summary>Every field path seen in the selected payload (<c>$.data.object.id</c>, <c>$.commits[*].id</c>): suggestions for the filter builder.</summary>
    public IReadOnlyList<string> FieldPaths => selectedDocument is null ? [] : JsonPaths.Fields(selectedDocument);

    private bool HasPayloads => session is { Payloads.Count: > 0 };

    private bool IsSaved => savedSnapshot is not null && savedSnapshot == Snapshot();

    protected override async Task OnParametersSetAsync()
    {
        if (source?.Id == SourceId) return;
        loaded = false;
        canEdit = await Access.AllowsAsync(StudioPolicies.Edit);
        source = (await Sources.GetAsync(SourceId))?.Source;
        if (source is not null)
        {
            LoadDraft(source);
            session = await Previews.OpenAsync(SourceId);
            if (session.Payloads.FirstOrDefault(p => p.Document is not null) is { } newest)
                await SelectPayloadAsync(newest.Id, recompute: false);
            await RecomputeAsync();
        }
        loaded = true;
    }

    private void LoadDraft(Source saved)
    {
        entityPath = saved.EntityPath;
        wholePayload = string.IsNullOrWhiteSpace(entityPath) || entityPath.Trim() == EntityMapping.WholePayload;
        idPath = saved.IdPath ?? "";
        titlePath = saved.TitlePath ?? "";
        fetchMode = saved.FetchMode;
        filterOn = saved.Filter is not null;
        filter = saved.Filter is null ? null : ConditionGroup.Parse(saved.Filter);
        filterJson = filter is null ? "" : Indent(filter.ToJson());
        filterErrors = filter is null ? [] : FilterValidator.Validate(filter);
        filterParseError = null;
        savedSnapshot = string.IsNullOrEmpty(saved.IdPath) ? null : Snapshot();
    }

    // What Save writes, to tell an edited draft from the saved one.
    private string Snapshot() => $"{Draft.EntityPath}\n{Draft.IdPath}\n{Draft.TitlePath}\n{fetchMode}\n{(filterOn ? filterJson : "")}";

    // ---- The payload shown ----

    private async Task SelectPayloadAsync(long payloadId, bool recompute = true)
    {
        var sample = session?.Find(payloadId);
        if (sample is null) return;
        selectedPayloadId = payloadId;
        selectedDocument = sample.Document;
        selectedIsForm = sample.IsForm;
        if (sample.IsForm || sample.Document is null)
            selectedText = sample.Document?.ToString(Formatting.Indented) ?? "";
        else
            selectedText = (await PayloadQueries.GetAsync(SourceId, payloadId)) is { } detail ? PayloadFormat.Pretty(detail.BodyText) : "";
        if (recompute) ExtractSelected();
    }

    private Task OnPayloadPicked(long payloadId) => SelectPayloadAsync(payloadId);

    private string PayloadLabel(PayloadSample sample)
    {
        var count = coverage.For(sample.Id) is { } c ? c.Problem is null ? c.Entities == 1 ? " · 1 entity" : $" · {c.Entities} entities" : " · no entity" : "";
        return $"#{sample.Id} · {PayloadFormat.Time(sample.ReceivedAt)} · {sample.Outcome.ToString().ToLowerInvariant()}{count}";
    }

    // ---- Mapping ----

    private async Task SetEntityAsync(string path)
    {
        var trimmed = path.Trim();
        wholePayload = trimmed.Length == 0 || trimmed == EntityMapping.WholePayload;
        entityPath = wholePayload ? EntityMapping.WholePayload : trimmed;
        saveErrors.Remove("entityPath");
        await RecomputeAsync();
    }

    /// <summary>The catalog entry of the source's app, whose suggested mappings the map step offers; null for a custom source.</summary>
    private CatalogApp? App => source is null ? null : AppCatalog.Find(source.App);

    /// <summary>Fills entity, id and title with a mapping the app's profile suggests; coverage is then shown as for typed paths.</summary>
    private async Task UseSuggestedAsync(SuggestedMapping suggested)
    {
        var entity = suggested.EntityPath.Trim();
        wholePayload = entity == EntityMapping.WholePayload;
        entityPath = entity;
        idPath = suggested.IdPath;
        titlePath = suggested.TitlePath;
        saveErrors.Remove("entityPath");
        saveErrors.Remove("idPath");
        saveErrors.Remove("titlePath");
        await RecomputeAsync();
    }

    private static string SuggestionLabel(CatalogApp app, SuggestedMapping suggested) =>
        app.Profile.Mappings.Count == 1 ? $"Use {app.Name}'s suggested mapping" : $"Use {app.Name}'s suggested mapping for {suggested.For}";

    private static string SuggestionPaths(SuggestedMapping suggested) =>
        $"Entity: {suggested.EntityPath} · unique id: {suggested.IdPath} · title: {suggested.TitlePath}";

    private async Task SetWholePayloadAsync(bool whole)
    {
        wholePayload = whole;
        if (!whole && entityPath.Trim() == EntityMapping.WholePayload) entityPath = "";
        saveErrors.Remove("entityPath");
        await RecomputeAsync();
    }

    private async Task SetIdPathAsync(string? path)
    {
        idPath = path?.Trim() ?? "";
        saveErrors.Remove("idPath");
        await RecomputeAsync();
    }

    private async Task SetTitlePathAsync(string? path)
    {
        titlePath = path?.Trim() ?? "";
        saveErrors.Remove("titlePath");
        await RecomputeAsync();
    }

    private void SetFetchMode(FetchMode mode) => fetchMode = mode;

    /// <summary>Immediate validation of one mapping field, then the last save's error for it.</summary>
    private string? ErrorFor(string field)
    {
        if (field == "idPath" && string.IsNullOrWhiteSpace(idPath) && saveAttempted)
            return "Choose the unique id: click a field in the tree, or type its path.";
        if (saveErrors.TryGetValue(field, out var saved)) return saved;
        if (field == "entityPath" && !wholePayload && string.IsNullOrWhiteSpace(entityPath))
            return "Type the path of the entity, e.g. $.data.object, or choose \"The whole payload\".";
        if (!EntityMapper.Validate(Draft).Errors.TryGetValue(field, out var message)) return null;
        if (field == "idPath" && string.IsNullOrWhiteSpace(idPath))
            return saveAttempted ? "Choose the unique id: click a field in the tree, or type its path." : null;
        return message;
    }

    /// <summary>A path typed from the payload root where one relative to the entity is meant.</summary>
    private string? RelativeHint(string path)
    {
        var entity = Draft.EntityPath.Trim();
        if (wholePayload || path.Length == 0 || entity.Length < 2) return null;
        var prefix = entity.EndsWith("[*]", StringComparison.Ordinal) ? entity[..^3] : entity;
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || path.Length <= prefix.Length) return null;
        var rest = path[prefix.Length..];
        if (rest.StartsWith("[*]", StringComparison.Ordinal)) rest = rest[3..];
        else if (rest.StartsWith('[') && rest.IndexOf(']') is > 0 and var end && int.TryParse(rest[1..end], out _)) rest = rest[(end + 1)..];
        return rest.StartsWith('.') || rest.StartsWith('[')
            ? $"This looks like a path from the payload root; paths here are relative to the entity: ${rest}"
            : null;
    }

    private string? IdHelp => ErrorFor("idPath") is null ? RelativeHint(idPath) ?? "Relative to the entity, e.g. $.id" : null;
    private string? TitleHelp => ErrorFor("titlePath") is null ? RelativeHint(titlePath) ?? "Optional; shown in lists, e.g. $.name" : null;

    /// <summary>Re-checks the draft against the recent payloads (the text fields already wait for a pause in typing).</summary>
    private async Task RecomputeAsync()
    {
        if (session is null) return;
        var version = ++computeVersion;
        var mapping = Draft;
        var current = session;
        var result = await Task.Run(() => current.Evaluate(mapping));
        if (version != computeVersion) return;
        coverage = result;
        ExtractSelected();
    }

    private void ExtractSelected()
    {
        entityError = null;
        entities = [];
        if (session?.Find(selectedPayloadId ?? -1) is not { } sample) return;
        if (sample.Document is null)
        {
            entityError = $"Payload #{sample.Id} cannot be read: {sample.Error}";
            return;
        }
        (entities, entityError) = MappingSession.Extract(Draft, sample.Document);
    }

    // ---- Filter ----

    private void SetFilterOn(bool on)
    {
        filterOn = on;
        saveErrors.Remove("filter");
        if (on && filter is null && string.IsNullOrWhiteSpace(filterJson))
            OnFilterChanged(StarterFilter());
    }

    /// <summary>
    /// A first condition on a field senders use to name the event, with this payload's value; else an empty row,
    /// which filters nothing (and is left out of the backtest) until its field and value are filled in.
    /// </summary>
    private ConditionGroup StarterFilter()
    {
        string[] eventFields = ["type", "event", "event_type", "action", "topic"];
        if (selectedDocument is JObject obj)
            foreach (var name in eventFields)
                if (obj[name] is JValue { Type: JTokenType.String } value)
                    return ConditionGroup.All(new Condition("$." + name, Filtering.FilterOperator.Equals, (string)value!));
        return ConditionGroup.All(new Condition("", Filtering.FilterOperator.Equals));
    }

    /// <summary>The filter as JSON, edited by hand ("Edit as JSON"); parsed and validated as it is typed.</summary>
    private void OnFilterJsonChanged(string text)
    {
        filterJson = text;
        saveErrors.Remove("filter");
        try
        {
            filter = ConditionGroup.Parse(text);
            filterParseError = null;
            filterErrors = FilterValidator.Validate(filter);
        }
        catch (System.Text.Json.JsonException e)
        {
            filterParseError = JsonErrorText.Describe(e);
            filterErrors = [];
        }
    }

    /// <summary>For the condition group builder: a new group replaces the draft filter.</summary>
    private void OnFilterChanged(ConditionGroup? group)
    {
        filter = group;
        filterJson = group is null ? "" : Indent(group.ToJson());
        filterParseError = null;
        filterErrors = group is null ? [] : FilterValidator.Validate(group);
        saveErrors.Remove("filter");
    }

    private IEnumerable<string> FilterMessages =>
        (filterParseError is null ? [] : new[] { $"Not a valid condition group: {filterParseError}" })
            .Concat(filterErrors.Select(e => $"{e.Location}: {e.Message}"))
            .Concat(saveErrors.Where(e => e.Key.StartsWith("filter", StringComparison.Ordinal)).Select(e => e.Value))
            .Distinct();

    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return System.Text.Json.JsonSerializer.Serialize(document.RootElement, StudioJson.Indented);
    }

    // ---- Wizard steps ----

    private bool MappingIsComplete()
    {
        saveAttempted = true;
        return ErrorFor("entityPath") is null && ErrorFor("idPath") is null && ErrorFor("titlePath") is null;
    }

    private bool FilterIsComplete() => !filterOn || (filterParseError is null && filterErrors.Count == 0 && filter is not null);

    private void GoTo(int target)
    {
        if (target > MapStep && step == MapStep && !MappingIsComplete()) return;
        if (target > FilterStep && step == FilterStep && !FilterIsComplete()) return;
        step = target;
    }

    // ---- Save ----

    private async Task SaveAsync()
    {
        saveAttempted = true;
        saveErrors.Clear();
        if (filterOn && filterParseError is not null)
        {
            saveErrors["filter"] = $"Fix the filter first: {filterParseError}";
            if (Wizard) step = FilterStep;
            return;
        }
        if (filterOn && filter is null)
        {
            saveErrors["filter"] = "Write the filter, or choose \"Accept all payloads\".";
            if (Wizard) step = FilterStep;
            return;
        }

        var before = source!;
        var patch = new SourcePatch
        {
            EntityPath = Draft.EntityPath,
            IdPath = idPath,
            TitlePath = titlePath,
            FetchMode = fetchMode,
            FilterSet = true,
            Filter = filterOn ? filter : null,
        };
        saving = true;
        try
        {
            await Access.DemandAsync(StudioPolicies.Edit);
            var updated = await Sources.UpdateAsync(SourceId, patch);
            if (updated is null)
            {
                Snackbar.Add("This source no longer exists.", Severity.Error);
                return;
            }
            source = updated;
            savedSnapshot = Snapshot();
            Snackbar.Add("Saved.", Severity.Success);
            await OnSaved.InvokeAsync(updated);
            if (!Wizard && updated.LiveStream && MappingChanged(before, updated))
                await OfferReprocessAsync("The mapping changed",
                    "Stored payloads were turned into items with the old settings. Run the new settings over them? Items are updated, none is deleted.");
        }
        catch (ValidationException invalid)
        {
            foreach (var (field, messages) in invalid.Errors)
                saveErrors[field] = string.Join(" ", messages);
            if (Wizard)
                step = invalid.Errors.Keys.Any(k => k is "entityPath" or "idPath" or "titlePath") ? MapStep : invalid.Errors.Keys.Any(k => k.StartsWith("filter", StringComparison.Ordinal)) ? FilterStep : step;
        }
        catch (NotAllowedException denied)
        {
            Snackbar.Add(denied.Message, Severity.Error);
        }
        finally
        {
            saving = false;
        }
    }

    private static bool MappingChanged(Source before, Source after) =>
        before.EntityPath != after.EntityPath || before.IdPath != after.IdPath || before.TitlePath != after.TitlePath
        || before.FetchMode != after.FetchMode || before.Filter != after.Filter;

    private async Task SetLiveStreamAsync(bool live)
    {
        try
        {
            await Access.DemandAsync(StudioPolicies.Edit);
            source = await Sources.SetLiveStreamAsync(SourceId, live) ?? source;
            if (source is null) return;
            await OnSaved.InvokeAsync(source);
            if (live && HasPayloads)
                await OfferReprocessAsync("The live stream is on",
                    $"New payloads now become items. Also process the {Count(session!.Payloads.Count, "payload")} already received?");
        }
        catch (ValidationException invalid)
        {
            foreach (var (field, messages) in invalid.Errors) saveErrors[field] = string.Join(" ", messages);
            Snackbar.Add(invalid.Message, Severity.Error);
        }
        catch (NotAllowedException denied)
        {
            Snackbar.Add(denied.Message, Severity.Error);
        }
    }

    private async Task OfferReprocessAsync(string title, string question)
    {
        var yes = await Dialogs.ShowMessageBoxAsync(title, question, yesText: "Process them", cancelText: "Not now");
        if (yes != true) return;
        try
        {
            var queued = await Sources.ReprocessAsync(SourceId, since: null);
            Snackbar.Add(queued is > 0 ? $"{Count(queued.Value, "payload")} queued for processing." : "There was no stored payload to process.", Severity.Success);
        }
        catch (ValidationException invalid)
        {
            Snackbar.Add(invalid.Message, Severity.Error);
        }
    }

    private async Task ReprocessAsync() =>
        await OfferReprocessAsync("Reprocess stored payloads?",
            "Runs the saved settings over every stored payload of this source again. Items are updated, none is deleted.");

    private void Finish() => Navigation.NavigateTo($"sources/{SourceId}");

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string FetchModeText(FetchMode mode) => mode == FetchMode.Update
        ? "An entity whose id is already an item updates that item; a new id creates one."
        : "An entity with a new id becomes an item built from the payload; an item that exists is never overwritten.";
}
