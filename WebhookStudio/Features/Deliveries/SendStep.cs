using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>What a send came to: the request as built and every attempt it took (two after an OAuth2 token was refreshed).</summary>
public sealed record Sent(BuiltRequest Built, IReadOnlyList<SendResult> Attempts)
{
    public SendResult Last => Attempts[^1];
}

/// <summary>
/// Send: builds the request (<see cref="BuildStep"/>) and sends it with the shared sender, or in-process when it is
/// addressed to the studio itself. An OAuth2 token may be revoked before it expires, so a 401 from a receiver behind
/// an OAuth2 connector fetches a new token and sends once more. A request that cannot be built, or whose credentials
/// cannot be had, is not sent: its attempt says why. Deliveries and the Test button send here.
/// </summary>
public sealed class SendStep(BuildStep build, OutboundSender sender, StudioSelfDispatch self, TimeProvider clock)
{
    public async Task<Sent> SendAsync(Subscription subscription, TemplateModel model, string webhookId, CancellationToken cancellationToken)
    {
        var built = await build.BuildAsync(subscription, model, webhookId, Credentials.Fetched, cancellationToken);
        var first = await SendAsync(built, cancellationToken);
        if (first.Response?.StatusCode != 401 || !built.UsesOAuth2)
            return new Sent(built.Request, [first]);
        var again = await build.BuildAsync(subscription, model, webhookId, Credentials.Refreshed, cancellationToken);
        return new Sent(again.Request, [first, await SendAsync(again, cancellationToken)]);
    }

    private async Task<SendResult> SendAsync(Built built, CancellationToken cancellationToken)
    {
        if (built.Request.Request is not { } request)
            return Refused(new RequestSummary("", "", [], null, null), $"The request could not be built: {built.Request.ErrorText}");
        if (built.AuthError is { } authError)
            return Refused(request.Summarize(), authError);
        return await self.SendAsync(sender, request, cancellationToken);
    }

    /// <summary>An attempt that never went out, with the reason in words.</summary>
    public SendResult Refused(RequestSummary request, string error) =>
        new(clock.GetUtcNow().UtcDateTime, request, null, TimeSpan.Zero, FailureKind.InvalidRequest, error);
}
