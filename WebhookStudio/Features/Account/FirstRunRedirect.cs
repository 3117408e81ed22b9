using Microsoft.AspNetCore.Components.Endpoints;

namespace WebhookStudio.Features.Account;

/// <summary>Until the first administrator exists, every page leads to the page that creates one.</summary>
internal sealed class FirstRunRedirect(RequestDelegate next, FirstRunState state)
{
    public const string SetupPath = "/setup";

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsPage(context) && !context.Request.Path.StartsWithSegments(SetupPath)
            && await state.NeedsFirstAdminAsync(context.RequestAborted))
        {
            context.Response.Redirect(SetupPath);
            return;
        }
        await next(context);
    }

    private static bool IsPage(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            || context.Request.Path.StartsWithSegments("/jobs"));
}
