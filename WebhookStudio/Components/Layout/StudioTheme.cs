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
            // Darker than MudBlazor's defaults so text in these colours (chips, outlined buttons, captions) reads at
            // 4.5:1 or more on the page background and on their own tinted chip backgrounds (WCAG AA).
            Success = "#1b5e20",
            Info = "#1565c0",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.62)",
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
