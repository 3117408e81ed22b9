using Microsoft.Extensions.Logging.Abstractions;
using WebhookStudio.Features.Sources;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Tests.Infrastructure;

public sealed class EventHubTests
{
    private readonly EventHub<StudioEvent> hub = new(NullLogger<EventHub<StudioEvent>>.Instance);

    [Fact]
    public void Another_instances_events_reach_only_the_listeners_of_all_instances()
    {
        List<StudioEvent> instanceOnly = [], allInstances = [];
        using var work = hub.Subscribe(e => { instanceOnly.Add(e); return Task.CompletedTask; });
        using var view = hub.Subscribe(e => { allInstances.Add(e); return Task.CompletedTask; }, EventScope.AllInstances);

        var own = new StudioEvent(StudioEventKind.PayloadReceived, 1, 10);
        var relayed = new StudioEvent(StudioEventKind.ItemCreated, 2, ItemId: 20) { FromOtherInstance = true };
        hub.Publish(own);
        hub.PublishFromOtherInstance(relayed);

        Assert.Equal([own], instanceOnly);
        Assert.Equal([own, relayed], allInstances);
    }

    [Fact]
    public void A_failing_listener_keeps_the_others_and_the_rest_of_a_batch()
    {
        List<StudioEvent> heard = [];
        using var failing = hub.Subscribe(_ => throw new InvalidOperationException("listener bug"));
        using var working = hub.Subscribe(e => { heard.Add(e); return Task.CompletedTask; });
        StudioEvent[] batch = [new(StudioEventKind.PayloadReceived, 1, 1), new(StudioEventKind.PayloadReceived, 1, 2)];

        hub.Publish(batch);

        Assert.Equal(batch, heard);
    }

    [Fact]
    public void A_disposed_subscription_hears_nothing_and_leaves_one_with_the_same_delegate()
    {
        var count = 0;
        Func<StudioEvent, Task> listener = _ => { count++; return Task.CompletedTask; };
        var first = hub.Subscribe(listener);
        using var second = hub.Subscribe(listener);

        first.Dispose();
        hub.Publish(new StudioEvent(StudioEventKind.ItemDeleted, 1, ItemId: 1));

        Assert.Equal(1, count);
    }
}
