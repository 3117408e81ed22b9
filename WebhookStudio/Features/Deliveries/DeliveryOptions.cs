namespace WebhookStudio.Features.Deliveries;

/// <summary>The <c>Deliveries</c> settings: the retry schedule, deactivation, the buffer and the workers.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Deliveries";

    /// <summary>5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first try.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultSchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Waits between attempts; after the last entry, the last one repeats (up to a subscription's max attempts). Null: the default.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>Spread of each wait, so retries of many deliveries do not arrive together (0.1 = ±10%).</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>A subscription failing without a success for this long is deactivated.</summary>
    public TimeSpan DeactivateAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>A subscription whose attempts fail this many times in a row is deactivated.</summary>
    public int DeactivateAfterFailures { get; set; } = 50;

    /// <summary>How long activities of a deactivated subscription are kept for replay; older ones expire.</summary>
    public TimeSpan BufferFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Sends in flight per subscription, so one slow receiver cannot take every worker.</summary>
    public int ConcurrencyPerSubscription { get; set; } = 10;

    /// <summary>Hangfire workers for the deliveries queue.</summary>
    public int Workers { get; set; } = 20;

    /// <summary>
    /// How long a lease outlasts the sender's own time limit (<c>Outbound:Timeout</c>), so it never runs out while
    /// its send can still be going and its attempt being recorded. A killed instance's deliveries wait this long
    /// past their time limit before another instance takes them up.
    /// </summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the reconciler looks for due deliveries that no job holds (also once at start).</summary>
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule is { Length: > 0 } custom ? custom : DefaultSchedule;
}
