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
            // Lighter than the defaults, for the same 4.5:1 on dark surfaces; filled chips and buttons take dark text.
            Success = "#81c784",
            Info = "#90caf9",
            Error = "#ef9a9a",
            Warning = "#ffb74d",
            PrimaryContrastText = "rgba(0,0,0,0.87)",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            InfoContrastText = "rgba(0,0,0,0.87)",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            WarningContrastText = "rgba(0,0,0,0.87)",
            TextSecondary = "rgba(255,255,255,0.66)",
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
