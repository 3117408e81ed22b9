namespace WebhookStudio.Features.Dashboard;

public static class DashboardSetup
{
    public static WebApplicationBuilder AddStudioDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DashboardQueries>();
        return builder;
    }
}
