using MudBlazor;

namespace WebhookStudio.Components.Layout;

internal static class StudioTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#607d8b",
            Success = "#2e7d32",
            AppbarBackground = "#27306b",
            Background = "#f6f7fb",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#90a4ae",
            Success = "#66bb6a",
            AppbarBackground = "#1b1f3a",
        },
        Typography = new Typography
        {
            // No web fonts: a self-hosted server may have no internet, so the system's own UI font is used.
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
