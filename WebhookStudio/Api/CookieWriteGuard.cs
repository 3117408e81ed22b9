using Microsoft.AspNetCore.Antiforgery;
using WebhookStudio.Features.Access;

namespace WebhookStudio.Api;

/// <summary>
/// Writes under <c>/api/v1</c> signed in by the sign-in cookie alone could be forged by any page the user opens
/// (a cross-site form, or a script on a page served by the studio): such a write needs a same-origin
/// <c>Origin</c> header and an antiforgery token (<c>RequestVerificationToken</c> header). API keys are never sent
/// by a browser on its own, so requests carrying one pass.
/// </summary>
public sealed class CookieWriteGuard(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(StudioApi.Prefix)
            || IsSafe(request.Method)
            || ApiKeyAuthenticationHandler.CarriesKey(request)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var reason = !IsSameOrigin(request)
            ? "The request's Origin header is missing or is not this studio's address."
            : !await antiforgery.IsRequestValidAsync(context)
                ? "The request carries no valid antiforgery token (RequestVerificationToken header)."
                : null;
        if (reason is null)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "A change through the API needs an API key",
                Detail = reason + " Send an API key (Authorization: Bearer <key> or X-Api-Key) to change data through the API.",
            },
        });
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static bool IsSameOrigin(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin)
        && string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
