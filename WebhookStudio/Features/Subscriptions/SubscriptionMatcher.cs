using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>
/// Whether an activity is for a subscription: not deleted, in its scope, one of its activities, its item
/// condition holds, and the loop rule allows it.
/// <para>
/// Loop rule: a change written by a response mapping (it carries <see cref="ItemChange.SubscriptionId"/>) never
/// triggers the subscription that wrote it, nor any subscription with a response mapping of its own. So
/// response mappings cannot ping-pong — A writes, B is triggered, B writes, A is triggered… — however the
/// receivers answer; subscriptions without a mapping still learn about the new values.
/// </para>
/// </summary>
public static class SubscriptionMatcher
{
    public static bool Triggers(Subscription subscription, int sourceId, Activities activity, ItemChange? change, JToken? itemData)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.DeletedAt is not null || (subscription.Activities & activity) == 0)
            return false;
        if (subscription.SourceId is { } scope && scope != sourceId)
            return false;
        if (change?.SubscriptionId is { } writer && (writer == subscription.Id || subscription.ResponseMapping.Count > 0))
            return false;
        if (subscription.Condition is { } condition && activity != Activities.PayloadReceived)
            return itemData is not null && FilterEvaluator.Evaluate(ConditionGroup.Parse(condition), itemData).Passed;
        return true;
    }
}
