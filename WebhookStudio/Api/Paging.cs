using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace WebhookStudio.Api;

/// <summary>Every list in the API has this shape: <c>{"items": [...], "total": N, "page": 1, "pageSize": 50}</c>.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>The <c>page</c>/<c>pageSize</c> query parameters every list endpoint takes.</summary>
public readonly record struct PageRequest(
    [FromQuery(Name = "page")][property: Description("1-based page number")] int? Page,
    [FromQuery(Name = "pageSize")][property: Description("Items per page, 1 to 500 (default 50)")] int? PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public int Number => Page ?? 1;
    public int Size => PageSize ?? DefaultSize;
    public int Skip => (Number - 1) * Size;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Number < 1) errors["page"] = ["page starts at 1."];
        if (Size is < 1 or > MaxSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxSize}."];
        return errors;
    }
}
