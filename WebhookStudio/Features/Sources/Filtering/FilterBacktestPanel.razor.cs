using Microsoft.AspNetCore.Components;
using MudBlazor;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>
/// "Would process 37 of the last 500 payloads", and each recent payload marked processed or filtered with
/// the condition that stopped it. Reruns when <see cref="Filter"/> changes (debounced; a stale run is
/// cancelled) and when the source receives a payload.
/// </summary>
public partial class FilterBacktestPanel
{
    /// <summary>How many rows are listed; the counts cover every payload tested.</summary>
    public const int ListedRows = 100;

    private BacktestResult? result;
    private string? failure;
    private bool running;
    private BacktestVerdict? shown;
    private bool requested;
    private int requestedSource;
    private ConditionGroup? requestedFilter;
    private CancellationTokenSource? current;
    private LiveRefresh? live;

    [Inject] private FilterBacktest Backtest { get; set; } = default!;
    [Inject] private EventHub<StudioEvent> Events { get; set; } = default!;
    [Inject] private ILogger<FilterBacktestPanel> Logger { get; set; } = default!;

    /// <summary>The source whose payloads are tested.</summary>
    [Parameter, EditorRequired] public int SourceId { get; set; }

    /// <summary>The filter being edited; null tests "accept all".</summary>
    [Parameter] public ConditionGroup? Filter { get; set; }

    /// <summary>How long the filter must stay unchanged before it is tested: typing is not interrupted by reruns.</summary>
    [Parameter] public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    private string Headline => result is null ? ""
        : result.EffectiveFilter is null
            ? result.Total == 1 ? "The 1 payload received would be processed" : $"All {result.Total} payloads would be processed"
            : $"Would process {result.Processed} of the last {result.Total} payload{(result.Total == 1 ? "" : "s")}";

    private IEnumerable<BacktestRow> Visible => Matching.Take(ListedRows);

    private int HiddenCount => Math.Max(0, Matching.Count() - ListedRows);

    private IEnumerable<BacktestRow> Matching => result is null ? [] : shown is { } verdict ? result.Rows.Where(r => r.Verdict == verdict) : result.Rows;

    protected override void OnInitialized() =>
        live = Events.Refresh(e => e.SourceId == SourceId && e.Kind == StudioEventKind.PayloadReceived,
            () => InvokeAsync(() => Start(TimeSpan.Zero)));

    protected override void OnParametersSet()
    {
        if (requested && requestedSource == SourceId && Equals(requestedFilter, Filter))
            return;
        // The first run starts at once; later ones wait for the user to pause.
        var delay = requested && requestedSource == SourceId ? Debounce : TimeSpan.Zero;
        requested = true;
        requestedSource = SourceId;
        requestedFilter = Filter;
        Start(delay);
    }

    private void Start(TimeSpan delay)
    {
        current?.Cancel();
        current?.Dispose();
        current = new CancellationTokenSource();
        _ = RunAsync(SourceId, Filter, delay, current.Token);
    }

    private async Task RunAsync(int sourceId, ConditionGroup? filter, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, cancellationToken);
            running = true;
            StateHasChanged();
            var next = await Backtest.RunAsync(sourceId, filter, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            result = next;
            failure = null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            LogBacktestFailed(Logger, ex, sourceId);
            failure = "The recent payloads could not be checked: " + ex.Message;
        }
        running = false;
        StateHasChanged();
    }

    private Task ShowAsync(BacktestVerdict? verdict)
    {
        shown = verdict;
        return Task.CompletedTask;
    }

    private double Share(int count) => result is { Total: > 0 } r ? Math.Round(100.0 * count / r.Total, 2) : 0;

    private static string VerdictText(BacktestRow row) => row.Verdict switch
    {
        BacktestVerdict.Processed => "processed",
        BacktestVerdict.Filtered => "filtered: " + row.Reason,
        _ => "unreadable: " + row.Reason,
    };

    private static string IconOf(BacktestVerdict verdict) => verdict switch
    {
        BacktestVerdict.Processed => Icons.Material.Filled.CheckCircle,
        BacktestVerdict.Filtered => Icons.Material.Outlined.FilterAltOff,
        _ => Icons.Material.Outlined.ErrorOutline,
    };

    private static Color ColorOf(BacktestVerdict verdict) => verdict switch
    {
        BacktestVerdict.Processed => Color.Success,
        BacktestVerdict.Filtered => Color.Warning,
        _ => Color.Error,
    };

    public void Dispose()
    {
        live?.Dispose();
        current?.Cancel();
        current?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backtesting a filter on source {SourceId} failed")]
    private static partial void LogBacktestFailed(ILogger logger, Exception ex, int sourceId);
}
