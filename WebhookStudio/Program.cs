using WebhookStudio.Api;
using WebhookStudio.Components;
using WebhookStudio.Data;
using WebhookStudio.Features.Access;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Bins;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Dashboard;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Jobs;
using WebhookStudio.Features.Notifications;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Features.Tester;
using WebhookStudio.Hosting;

var builder = WebApplication.CreateBuilder(StudioHost.Options(args));
builder.WebHost.UseStaticWebAssets();
builder.ListenOnDefaultAddressUnlessConfigured();

builder.AddStudioSecurityHeaders();
builder.AddStudioData();
builder.AddStudioAccount();
builder.AddStudioAccess();
builder.AddStudioApi();
builder.AddStudioJobs();
builder.AddStudioSources();
builder.AddStudioItems();
builder.AddStudioOutbound();
builder.AddStudioConnectors();
builder.AddStudioSubscriptions();
builder.AddStudioBins();
builder.AddStudioTester();
builder.AddStudioDashboard();
builder.AddStudioDeliveries();
builder.AddStudioNotifications();
builder.AddStudioUi();

var app = builder.Build();

app.UseStudioErrorPages();
app.UseAuthentication();
app.UseMiddleware<FirstRunRedirect>();
app.UseAuthorization();
app.UseStudioApiCookieGuard();
app.UseAntiforgery();

app.MapStudioUi();
app.MapStudioAccount();
app.MapStudioAccess();
app.MapStudioApiDocs();
app.MapStudioJobs();
app.MapStudioSources();
app.MapStudioItems();
app.MapStudioConnectors();
app.MapStudioSubscriptions();
app.MapStudioBins();
app.MapStudioTester();
app.MapStudioDeliveries();
app.MapStudioNotifications();

StartupBanner.PrintWhenStarted(app);
app.Run();

/// <summary>Entry point, public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
