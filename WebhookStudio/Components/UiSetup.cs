using MudBlazor.Services;

namespace WebhookStudio.Components;

public static class UiSetup
{
    public static WebApplicationBuilder AddStudioUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    /// <summary>Errors in the API answer ProblemDetails; errors on pages show the studio's own pages.</summary>
    public static WebApplication UseStudioErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            CreateScopeForErrors = true,
            // API requests get ProblemDetails from the registered IExceptionHandlers and IProblemDetailsService.
            StatusCodeSelector = _ => StatusCodes.Status500InternalServerError,
        });
        app.UseWhen(context => IsApi(context.Request.Path),
            api => api.UseStatusCodePages());
        app.UseWhen(context => !IsApi(context.Request.Path),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        return app;
    }

    public static WebApplication MapStudioUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/hooks") || path.StartsWithSegments("/health");
}
