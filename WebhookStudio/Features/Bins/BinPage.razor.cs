using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MudBlazor;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Bins;

/// <summary>One bin: its URL, its answer (editable), and the requests it received, live, newest first.</summary>
public sealed partial class BinPage
{
    /// <summary>The page lists this many; older ones stay reachable through the API.</summary>
    private const int Shown = 100;

    [Inject] private BinService Bins { get; set; } = default!;
    [Inject] private EventHub<BinEvent> Events { get; set; } = default!;
    [Inject] private ReceiverUrls Urls { get; set; } = default!;
    [Inject] private IOptions<BinOptions> Options { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    private BinSummary? summary;
    private IReadOnlyList<BinRequestSummary> requests = [];
    private BinRequest? selected;
    private Dictionary<string, string> headers = [];
    private List<KeyValuePair<string, string>> query = [];
    private string body = "";
    private string bodyLanguage = "plaintext";
    private BinResponseDraft? draft;
    private IDictionary<string, string[]>? responseErrors;
    private List<BreadcrumbItem> breadcrumbs = [];
    private string binUrl = "";
    private bool loaded;
    private LiveRefresh? live;

    private string Curl => $"curl -X POST '{binUrl}/orders?source=curl' -H 'Content-Type: application/json' -d '{{\"hello\":\"bin\"}}'";

    private string Subtitle => $"{CountText} · kept until {summary!.ExpiresAt(Options.Value.RetentionDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} unless used";

    private string CountText => summary!.Requests switch
    {
        1 => "1 request",
        var n when n > Shown => $"newest {Shown} of {n} requests",
        var n => $"{n} requests",
    };

    protected override async Task OnParametersSetAsync()
    {
        // Listening before loading: a request that lands while the page loads is either read or announced.
        live ??= Events.Refresh(e => e.BinId == Id,
            () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }));
        await LoadAsync();
        loaded = true;
    }

    private async Task LoadAsync()
    {
        summary = await Bins.GetAsync(Id);
        if (summary is null)
        {
            requests = [];
            selected = null;
            return;
        }
        binUrl = Urls.Absolute($"{BinReceiver.PathPrefix}/{summary.Bin.Token}", Navigation.BaseUri);
        breadcrumbs = [new("Request bins", "bins"), new(summary.Bin.Name, null, disabled: true)];
        requests = (await Bins.ListRequestsAsync(Id, new PageRequest(1, Shown)))?.Items ?? [];
        // The newest request opens by itself until the user picks one; a cleared request closes.
        if (selected is not null && requests.All(r => r.Id != selected.Id))
            selected = null;
        if (selected is null && requests.Count > 0)
            await SelectAsync(requests[0].Id);
    }

    private async Task SelectAsync(long requestId)
    {
        var request = await Bins.GetRequestAsync(Id, requestId);
        selected = request;
        if (request is null) return;
        headers = BinBody.MaskedHeaders(request);
        query = QueryHelpers.ParseQuery(request.QueryString)
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        (body, bodyLanguage) = BinBody.ForDisplay(request);
    }

    private static string SizeText(long bytes) => bytes > int.MaxValue ? $"{bytes / (1024 * 1024)} MB" : PayloadFormat.Size((int)bytes);

    private void EditResponse()
    {
        draft = BinResponseDraft.From(summary!.Response);
        responseErrors = null;
    }

    private void CancelEdit()
    {
        draft = null;
        responseErrors = null;
    }

    private async Task SaveResponseAsync()
    {
        responseErrors = null;
        try
        {
            await Access.DemandAsync(StudioPolicies.Edit);
            await Bins.UpdateAsync(Id, null, draft!.ToResponse());
            draft = null;
            Snackbar.Add("Saved: the bin answers the next request with this response.", Severity.Success);
            await LoadAsync();
        }
        catch (ValidationException invalid)
        {
            responseErrors = invalid.Errors;
        }
        catch (NotAllowedException denied)
        {
            Snackbar.Add(denied.Message, Severity.Error);
        }
    }

    private async Task ClearAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Clear all requests?",
            "Every request this bin received is removed. The bin and its URL stay.", yesText: "Clear", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            await Bins.ClearRequestsAsync(Id);
            selected = null;
            await LoadAsync();
        });
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete {summary!.Bin.Name}?",
            "Its URL stops working at once (senders get 404) and its requests are removed.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        await RunAsync(async () =>
        {
            await Bins.DeleteAsync(Id);
            Navigation.NavigateTo("bins");
        });
    }

    private async Task RunAsync(Func<Task> action)
    {
        try
        {
            await Access.DemandAsync(StudioPolicies.Edit);
            await action();
        }
        catch (NotAllowedException denied)
        {
            Snackbar.Add(denied.Message, Severity.Error);
        }
    }

    public void Dispose() => live?.Dispose();
}
