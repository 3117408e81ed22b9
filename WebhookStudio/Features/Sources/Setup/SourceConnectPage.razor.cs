using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Setup;

/// <summary>
/// Step 1 of a source's setup: the URL to paste, the sender's rules, a sample to send, and a live wait for the
/// first payload. Live through the circuit: the pipeline's studio events and the receiver's refusals
/// push here, nothing polls.
/// </summary>
public sealed partial class SourceConnectPage : IDisposable
{
    [Parameter] public int Id { get; set; }

    [Inject] private SourceService Sources { get; set; } = default!;
    [Inject] private SourceSetupService Setup { get; set; } = default!;
    [Inject] private ReceiverRejections Rejections { get; set; } = default!;
    [Inject] private EventHub<StudioEvent> Events { get; set; } = default!;
    [Inject] private ReceiverUrls Urls { get; set; } = default!;
    [Inject] private IOptions<ReceiverOptions> ReceiverOptions { get; set; } = default!;
    [Inject] private IOptions<AppOptions> AppOptions { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private SourceSecrets Secrets { get; set; } = default!;
    [Inject] private Account.UserAccess Access { get; set; } = default!;

    private Source? source;
    private CatalogApp? app;
    private ArrivedPayload? arrival;
    private AnsweredHandshake? handshake;
    private string? handedOverToken;
    private RejectedAttempt? latestRefusal;
    private IReadOnlyList<RejectedAttempt> refusals = [];
    private string receiverUrl = "";
    private string? publicBaseUrl, sampleError;
    private bool loaded, showHelp, sending, canEdit;
    private int maxBytes, rateLimit;
    private IDisposable? payloadSubscription, refusalSubscription;

    private string AppName => app?.Name ?? "the application";

    private string MaxSize => maxBytes % (1024 * 1024) == 0 ? $"{maxBytes / (1024 * 1024)} MB" : PayloadFormat.Size(maxBytes);

    private string ShortToken => source!.Token.Length > 8 ? source.Token[..8] + "…" : source.Token;

    private string Curl => app?.Sends == Pipeline.BodyKind.Form
        ? $"curl -X POST -H 'Content-Type: application/x-www-form-urlencoded' -d 'id=1&name=Test' {receiverUrl}"
        : $"curl -X POST -H 'Content-Type: application/json' -d '{{\"id\":\"1\",\"name\":\"Test\"}}' {receiverUrl}";

    protected override async Task OnParametersSetAsync()
    {
        maxBytes = ReceiverOptions.Value.MaxBodyBytes;
        rateLimit = ReceiverOptions.Value.RateLimitPerMinute;
        publicBaseUrl = AppOptions.Value.PublicBaseUrl;
        source = (await Sources.GetAsync(Id))?.Source;
        loaded = true;
        if (source is null) return;
        app = AppCatalog.Find(source.App);
        canEdit = await Access.AllowsAsync(Account.StudioPolicies.Edit);
        receiverUrl = Urls.For(source.Token, Navigation.BaseUri);
        await RefreshArrivalAsync();
        latestRefusal = refusals.FirstOrDefault();

        payloadSubscription ??= Events.Subscribe(e => e.Kind == StudioEventKind.PayloadReceived && e.SourceId == Id
            ? InvokeAsync(async () => { await RefreshArrivalAsync(); StateHasChanged(); })
            : Task.CompletedTask, EventScope.AllInstances);
        // Called on the receiver's thread: hand over to the circuit and return at once.
        refusalSubscription ??= Rejections.Subscribe(attempt =>
        {
            if (attempt.SourceId == Id)
                _ = InvokeAsync(() => { refusals = Setup.Rejections(Id); latestRefusal = attempt; StateHasChanged(); });
        });
    }

    private async Task RefreshArrivalAsync()
    {
        arrival = await Setup.LastArrivalAsync(Id);
        handshake = await Setup.LastHandshakeAsync(Id);
        refusals = Setup.Rejections(Id);
        // Notion hands over a token the user pastes back into Notion: shown whole, to those who may change the source.
        source = (await Sources.GetAsync(Id))?.Source ?? source;
        handedOverToken = canEdit && source?.VerificationKind == Inbound.VerificationKind.Notion ? Secrets.Unprotect(source.VerificationSecretProtected) : null;
    }

    private async Task SendSampleAsync()
    {
        sending = true;
        sampleError = null;
        try
        {
            var sent = await Setup.SendSampleAsync(Id);
            if (sent is null)
            {
                sampleError = "This source no longer exists.";
                return;
            }
            if (sent.Outcome.IsAccepted)
            {
                // The arrival itself shows through the PayloadReceived event, like any sender's payload.
                Snackbar.Add(sent.Sample.IsGeneric ? "A generic JSON sample was sent." : $"Sent {sent.Sample.FileName}, a sample of what {AppName} sends.", Severity.Success);
                await RefreshArrivalAsync();
            }
            else
            {
                sampleError = $"The receiver refused the sample: {sent.Outcome.Status} {sent.Outcome.Title}. {sent.Outcome.Detail}";
            }
        }
        finally
        {
            sending = false;
        }
    }

    private async Task IDidItAsync()
    {
        await RefreshArrivalAsync();
        if (arrival is not null)
        {
            Navigation.NavigateTo($"sources/{Id}/setup/map");
            return;
        }
        showHelp = true;
    }

    public void Dispose()
    {
        payloadSubscription?.Dispose();
        refusalSubscription?.Dispose();
    }
}
