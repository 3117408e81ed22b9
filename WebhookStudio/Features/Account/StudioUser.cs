using Microsoft.AspNetCore.Identity;

namespace WebhookStudio.Features.Account;

public sealed class StudioUser : IdentityUser
{
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Set when an admin disables the account; sign-in is refused and open sessions end.</summary>
    public DateTime? DisabledAt { get; set; }
}
