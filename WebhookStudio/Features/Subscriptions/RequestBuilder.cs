using System.Text;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>A request built from a subscription for one activity, or the problems per field that stopped it.</summary>
public sealed record BuiltRequest(OutboundRequest? Request, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsSuccess => Request is not null;

    public string ErrorText => string.Join(" ", Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}

/// <summary>
/// Renders a subscription into the exact request to send: URL, query (or headers for GET with
/// "parameters in headers"), headers, body in its format, the connector's credentials and the Standard
/// Webhooks signature. The Example, the Test button and the delivery engine all build requests here.
/// </summary>
public static class RequestBuilder
{
    public static async Task<BuiltRequest> BuildAsync(
        Subscription subscription, TemplateModel model, AppliedAuth auth, IReadOnlyList<string> signingSecrets,
        string webhookId, DateTimeOffset now, bool requireHttps)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(auth);
        var errors = new Dictionary<string, string[]>();
        if (auth.Error is not null)
            errors["connectorId"] = [auth.Error];

        var url = await TemplateRenderer.RenderAsync(subscription.Url, TemplateFormat.Url, model);
        Uri? target = null;
        if (!url.IsSuccess) errors["url"] = [url.Error!];
        else if (!Uri.TryCreate(url.Output!.Trim(), UriKind.Absolute, out target) || target.Scheme is not ("http" or "https") || target.Host.Length == 0)
            errors["url"] = [$"The URL renders to '{url.Output}', which is not an absolute http(s) address."];
        else if (requireHttps && target.Scheme != "https")
            errors["url"] = ["Only https:// addresses are allowed (Outbound:RequireHttps)."];

        var headers = new List<HeaderLine>();
        var query = new List<KeyValuePair<string, string>>();
        var parametersAsHeaders = subscription.Method == SubscriptionMethod.Get && subscription.ParametersInHeaders;
        for (var i = 0; i < subscription.QueryParameters.Count; i++)
        {
            var parameter = subscription.QueryParameters[i];
            var value = await TemplateRenderer.RenderAsync(parameter.Value, TemplateFormat.Plain, model);
            if (!value.IsSuccess) errors[$"queryParameters[{i}].value"] = [value.Error!];
            else if (parametersAsHeaders) headers.Add(new(parameter.Name, OneLine(value.Output!)));
            else query.Add(new(parameter.Name, value.Output!));
        }
        for (var i = 0; i < subscription.Headers.Count; i++)
        {
            var header = subscription.Headers[i];
            var value = await TemplateRenderer.RenderAsync(header.Value, TemplateFormat.Plain, model);
            if (!value.IsSuccess) errors[$"headers[{i}].value"] = [value.Error!];
            else headers.Add(new(header.Name, OneLine(value.Output!)));
        }
        headers.AddRange(auth.Headers);
        query.AddRange(auth.Query);

        byte[]? body = null;
        string? contentType = null;
        if (subscription.Method != SubscriptionMethod.Get)
        {
            if (subscription.BodyFormat == BodyFormat.Default)
            {
                body = Encoding.UTF8.GetBytes(model.DefaultBody());
                contentType = "application/json";
            }
            else
            {
                var format = FormatOf(subscription.BodyFormat);
                var rendered = await TemplateRenderer.RenderAsync(subscription.BodyTemplate ?? "", format, model);
                if (!rendered.IsSuccess) errors["bodyTemplate"] = [rendered.Error!];
                else body = Encoding.UTF8.GetBytes(rendered.Output!);
                contentType = ContentType(subscription.BodyFormat);
            }
        }
        if (errors.Count > 0 || target is null)
            return new BuiltRequest(null, errors);

        if (query.Count > 0)
        {
            var builder = new StringBuilder(target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
            var existing = target.Query.TrimStart('?');
            builder.Append('?').Append(existing);
            foreach (var (name, value) in query)
            {
                if (builder[^1] != '?') builder.Append('&');
                builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
            builder.Append(target.Fragment);
            target = new Uri(builder.ToString());
        }

        var timestamp = now.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(signingSecrets, webhookId, timestamp, body ?? []);
        headers.Add(new(WebhookSignature.IdHeader, webhookId));
        headers.Add(new(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        headers.Add(new(WebhookSignature.SignatureHeader, signature));

        var method = subscription.Method switch
        {
            SubscriptionMethod.Put => HttpMethod.Put,
            SubscriptionMethod.Patch => HttpMethod.Patch,
            SubscriptionMethod.Get => HttpMethod.Get,
            _ => HttpMethod.Post,
        };
        return new BuiltRequest(new OutboundRequest(method, target, headers, body, contentType) { Secrets = auth.Secrets.Concat(signingSecrets).ToList() }, errors);
    }

    public static TemplateFormat FormatOf(BodyFormat format) => format switch
    {
        BodyFormat.Xml => TemplateFormat.Xml,
        BodyFormat.Text => TemplateFormat.Text,
        BodyFormat.Form => TemplateFormat.Form,
        _ => TemplateFormat.Json,
    };

    public static string ContentType(BodyFormat format) => format switch
    {
        BodyFormat.Xml => "application/xml; charset=utf-8",
        BodyFormat.Text => "text/plain; charset=utf-8",
        BodyFormat.Form => "application/x-www-form-urlencoded",
        _ => "application/json",
    };

    /// <summary>A rendered value with a line break would split the header; line breaks become spaces.</summary>
    private static string OneLine(string value) => value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');
}
