using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Tester;

public partial class TesterPage
{
    [Inject] private TesterService Tester { get; set; } = default!;
    [Inject] private CollectionService Collections { get; set; } = default!;
    [Inject] private ConnectorService ConnectorService { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary><c>/tester?sourceId=5</c> opens the form pre-filled for that source's receiver.</summary>
    [SupplyParameterFromQuery] public int? SourceId { get; set; }

    private TesterRequest request = new();
    private TesterResult? result;
    private IReadOnlyDictionary<string, string[]>? errors;
    private bool sending;
    private IReadOnlyList<ConnectorView> connectors = [];
    private IReadOnlyList<TesterService.Choice> sources = [];
    private IReadOnlyList<TesterService.Choice> subscriptionChoices = [];
    private IReadOnlyList<TesterService.Choice> items = [];
    private IReadOnlyList<HistoryView> history = [];
    private IReadOnlyList<CollectionView> collections = [];
    private int? prefillSourceId;
    private int? prefillSubscriptionId;
    private long? prefillItemId;
    private string? prefillNote;
    private string? saveName;
    private int? saveCollectionId;
    private string? saveError;
    private string? newCollectionName;
    private string? collectionError;
    private string? importError;
    private string owner = "";

    /// <summary>Short answers get a short viewer; long ones scroll inside 360 px.</summary>
    private string ResponseHeight => $"{Math.Clamp(((result?.PrettyBody ?? "").Count(c => c == '\n') + 1) * 19 + 16, 80, 360)}px";

    private string? ResponseContentType => result?.Headers.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?.Value;

    protected override async Task OnInitializedAsync()
    {
        owner = TesterCaller.OwnerOf((await Authentication.GetAuthenticationStateAsync()).User);
        connectors = await ConnectorService.ListAsync();
        (sources, subscriptionChoices) = await Tester.ChoicesAsync();
        await LoadHistoryAsync();
        await LoadCollectionsAsync();
        if (SourceId is { } sourceId)
        {
            prefillSourceId = sourceId;
            await FillFromSourceAsync();
        }
    }

    private async Task LoadHistoryAsync() => history = (await Tester.HistoryAsync(owner, new PageRequest(1, TesterService.HistoryPerOwner))).Items;

    private async Task LoadCollectionsAsync()
    {
        collections = await Collections.ListAsync();
        saveCollectionId ??= collections.FirstOrDefault()?.Id;
    }

    private void RequestEdited(TesterRequest edited) => request = edited;

    private void NewRequest()
    {
        request = new TesterRequest();
        result = null;
        errors = null;
        prefillNote = null;
    }

    private void Open(TesterRequest saved)
    {
        request = saved.Copy();
        errors = null;
        prefillNote = saved.Headers.Any(h => h.Value.Contains(Sources.Inbound.SensitiveHeaders.MaskPrefix, StringComparison.Ordinal))
            ? "A credential in this request was masked when it was kept: type it again before sending, or choose a connector."
            : null;
    }

    private async Task FillFromSourceAsync()
    {
        if (prefillSourceId is not { } id) return;
        var filled = await Tester.ForSourceAsync(id, Navigation.BaseUri);
        if (filled is null) return;
        request = filled;
        errors = null;
        prefillNote = $"A POST of the app's sample payload to the receiver of \"{sources.FirstOrDefault(s => s.Id == id)?.Label}\", as the app would send it.";
    }

    private async Task SubscriptionPickedAsync(int? subscriptionId)
    {
        prefillSubscriptionId = subscriptionId;
        prefillItemId = null;
        items = subscriptionId is null ? [] : await Tester.RecentItemsAsync(subscriptionChoices.FirstOrDefault(s => s.Id == subscriptionId)?.SourceId);
    }

    private async Task FillFromSubscriptionAsync()
    {
        if (prefillSubscriptionId is not { } id) return;
        try
        {
            var filled = await Tester.ForSubscriptionAsync(id, prefillItemId);
            if (filled is null) return;
            request = filled;
            errors = null;
            prefillNote = "What the subscription would send for this item. Its connector and signature are applied when sending; no secret is put in the form.";
        }
        catch (ValidationException e)
        {
            prefillNote = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
    }

    private async Task SendAsync(TesterRequest toSend)
    {
        request = toSend;
        sending = true;
        errors = null;
        StateHasChanged();
        try
        {
            var caller = new TesterCaller(owner, await Access.AllowsAsync(StudioPolicies.Edit), [Navigation.BaseUri]);
            result = await Tester.SendAsync(toSend, caller);
            await LoadHistoryAsync();
        }
        catch (ValidationException e)
        {
            errors = e.Errors.ToDictionary();
            result = null;
        }
        finally
        {
            sending = false;
        }
    }

    private async Task ResendAsync(HistoryView entry)
    {
        Open(entry.Request);
        await SendAsync(entry.Request.Copy());
    }

    private async Task ClearHistoryAsync()
    {
        await Tester.ClearHistoryAsync(owner);
        await LoadHistoryAsync();
    }

    private async Task SaveAsync()
    {
        if (saveCollectionId is not { } collectionId) return;
        saveError = null;
        try
        {
            await Collections.SaveRequestAsync(collectionId, null, saveName, request);
            Snackbar.Add($"Saved \"{saveName?.Trim()}\".", Severity.Success);
            saveName = null;
            await LoadCollectionsAsync();
        }
        catch (ValidationException e)
        {
            saveError = e.Errors.TryGetValue("name", out var name) ? string.Join(" ", name) : null;
            if (saveError is null) errors = e.Errors.ToDictionary();
        }
    }

    private async Task CreateCollectionAsync()
    {
        collectionError = null;
        try
        {
            var created = await Collections.CreateAsync(newCollectionName, null, await Access.UserNameAsync());
            newCollectionName = null;
            saveCollectionId = created.Id;
            await LoadCollectionsAsync();
        }
        catch (ValidationException e)
        {
            collectionError = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
    }

    private async Task DeleteCollectionAsync(CollectionView collection)
    {
        await Collections.DeleteAsync(collection.Id);
        if (saveCollectionId == collection.Id) saveCollectionId = null;
        await LoadCollectionsAsync();
    }

    private async Task DeleteSavedAsync(int collectionId, int requestId)
    {
        await Collections.DeleteRequestAsync(collectionId, requestId);
        await LoadCollectionsAsync();
    }

    private async Task ExportAsync(int collectionId)
    {
        var file = await Collections.ExportAsync(collectionId);
        if (file is null) return;
        var json = System.Text.Json.JsonSerializer.Serialize(file, StudioJson.Indented);
        await JS.InvokeVoidAsync("studio.download", TesterEndpoints.FileName(file.Name), "application/json", json);
    }

    private async Task ImportAsync(IBrowserFile? file)
    {
        importError = null;
        if (file is null) return;
        try
        {
            using var reader = new StreamReader(file.OpenReadStream(TesterService.MaxBodyBytes * 8));
            var imported = await Collections.ImportAsync(await reader.ReadToEndAsync(), await Access.UserNameAsync());
            Snackbar.Add($"Imported \"{imported.Name}\" with {imported.Requests.Count} requests.", Severity.Success);
            await LoadCollectionsAsync();
        }
        catch (ValidationException e)
        {
            importError = $"{file.Name} was not imported: " + string.Join(" ", e.Errors.Select(x => x.Key is "file" ? string.Join(" ", x.Value) : $"{x.Key}: {string.Join(" ", x.Value)}"));
        }
        catch (IOException e)
        {
            importError = $"{file.Name} could not be read: {e.Message}";
        }
    }

    private static Color StatusColor(int? status) => status switch
    {
        >= 200 and < 300 => Color.Success,
        >= 300 and < 400 => Color.Info,
        >= 400 and < 500 => Color.Warning,
        null => Color.Error,
        _ => Color.Error,
    };

    private static string Ago(DateTime at)
    {
        var span = DateTime.UtcNow - at;
        if (span.TotalSeconds < 60) return "just now";
        if (span.TotalMinutes < 60) return $"{(int)span.TotalMinutes} min ago";
        if (span.TotalHours < 24) return $"{(int)span.TotalHours} h ago";
        return at.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    }
}
