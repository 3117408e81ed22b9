using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api;
using WebhookStudio.Data;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Tester;

public sealed record SavedRequestView(int Id, int Position, string Name, string? ConnectorName, TesterRequest Request);

public sealed record CollectionView(int Id, string Name, string? Description, string? CreatedBy, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<SavedRequestView> Requests);

/// <summary>The file a collection is exported to and imported from. Connectors travel by name: secrets never leave the studio.</summary>
public sealed record CollectionFile(string Format, int Version, string Name, string? Description, DateTime? ExportedAt, IReadOnlyList<CollectionFileRequest> Requests)
{
    public const string FormatName = "webhook-studio/collection";
    public const int CurrentVersion = 1;
}

public sealed record CollectionFileRequest(string Name, string Method, string Url, IReadOnlyList<HeaderLine>? Headers, string? Body, string? ContentType, string? Connector);

/// <summary>Named requests in collections shared with the team, and their export and import as JSON.</summary>
public sealed class CollectionService(IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    public const int MaxRequestsPerCollection = 500;

    public async Task<IReadOnlyList<CollectionView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collections = await db.TesterCollections.AsNoTracking().Include(c => c.Requests).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var names = await ConnectorNamesAsync(db, cancellationToken);
        return collections.Select(c => View(c, names)).ToList();
    }

    public async Task<CollectionView?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = await db.TesterCollections.AsNoTracking().Include(c => c.Requests).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return collection is null ? null : View(collection, await ConnectorNamesAsync(db, cancellationToken));
    }

    public async Task<CollectionView> CreateAsync(string? name, string? description, string? createdBy, CancellationToken cancellationToken = default)
    {
        var (cleanName, cleanDescription) = ValidateCollection(name, description);
        var now = clock.GetUtcNow().UtcDateTime;
        var collection = new TesterCollection { Name = cleanName, Description = cleanDescription, CreatedBy = createdBy, CreatedAt = now, UpdatedAt = now };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.TesterCollections.Add(collection);
        await db.SaveChangesAsync(cancellationToken);
        return View(collection, new Dictionary<int, string>());
    }

    public async Task<CollectionView?> UpdateAsync(int id, string? name, string? description, CancellationToken cancellationToken = default)
    {
        var (cleanName, cleanDescription) = ValidateCollection(name, description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = await db.TesterCollections.Include(c => c.Requests).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (collection is null) return null;
        collection.Name = cleanName;
        collection.Description = cleanDescription;
        collection.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return View(collection, await ConnectorNamesAsync(db, cancellationToken));
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = await db.TesterCollections.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (collection is null) return false;
        db.TesterCollections.Remove(collection);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Adds (or, with <paramref name="requestId"/>, replaces) a named request; hand-typed credentials are stored masked.</summary>
    /// <returns>Null when there is no such collection or request.</returns>
    public async Task<SavedRequestView?> SaveRequestAsync(int collectionId, int? requestId, string? name, TesterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = await db.TesterCollections.Include(c => c.Requests).FirstOrDefaultAsync(c => c.Id == collectionId, cancellationToken);
        if (collection is null) return null;
        var errors = new Dictionary<string, string[]>();
        ValidateRequest(errors, "", name, request);
        if (request.ConnectorId is { } connectorId && !await db.Connectors.AnyAsync(c => c.Id == connectorId, cancellationToken))
            errors["connectorId"] = [$"There is no connector {connectorId}."];
        if (requestId is null && collection.Requests.Count >= MaxRequestsPerCollection)
            errors["name"] = [$"A collection holds at most {MaxRequestsPerCollection} requests."];
        if (errors.Count > 0) throw new ValidationException(errors);

        SavedRequest? saved;
        if (requestId is { } existing)
        {
            saved = collection.Requests.FirstOrDefault(r => r.Id == existing);
            if (saved is null) return null;
        }
        else
        {
            saved = new SavedRequest { Name = "", Method = "", Url = "", Headers = "[]", Position = collection.Requests.Count == 0 ? 0 : collection.Requests.Max(r => r.Position) + 1 };
            collection.Requests.Add(saved);
        }
        Fill(saved, name!.Trim(), TesterService.Masked(request));
        collection.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return ViewOf(saved, await ConnectorNamesAsync(db, cancellationToken));
    }

    public async Task<bool> DeleteRequestAsync(int collectionId, int requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SavedRequests.Where(r => r.CollectionId == collectionId && r.Id == requestId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<CollectionFile?> ExportAsync(int id, CancellationToken cancellationToken = default)
    {
        var collection = await GetAsync(id, cancellationToken);
        if (collection is null) return null;
        return new CollectionFile(CollectionFile.FormatName, CollectionFile.CurrentVersion, collection.Name, collection.Description, clock.GetUtcNow().UtcDateTime,
            collection.Requests.Select(r => new CollectionFileRequest(r.Name, r.Request.Method, r.Request.Url, r.Request.Headers,
                r.Request.Body, r.Request.ContentType, r.ConnectorName)).ToList());
    }

    /// <summary>Reads an exported file into a new collection; every problem is named with its place in the file.</summary>
    public async Task<CollectionView> ImportAsync(string json, string? createdBy, CancellationToken cancellationToken = default)
    {
        CollectionFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CollectionFile>(json, StudioJson.Indented);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            throw new ValidationException("file", $"The file is not a collection export: it is not valid JSON{where}.");
        }
        if (file is null)
            throw new ValidationException("file", "The file is empty; export a collection from the request tester and import that file.");
        var errors = new Dictionary<string, string[]>();
        if (file.Format != CollectionFile.FormatName)
            errors["format"] = [$"format must be \"{CollectionFile.FormatName}\": this does not look like a Webhook Studio collection export."];
        else if (file.Version != CollectionFile.CurrentVersion)
            errors["version"] = [$"This studio reads version {CollectionFile.CurrentVersion} exports; the file is version {file.Version}."];
        var (name, description) = (file.Name?.Trim() ?? "", file.Description?.Trim());
        if (name.Length == 0) errors["name"] = ["The collection needs a name."];
        else if (name.Length > 200) errors["name"] = ["A name has at most 200 characters."];
        if (file.Requests is null) errors["requests"] = ["requests is missing: a list of requests, possibly empty."];
        else if (file.Requests.Count > MaxRequestsPerCollection) errors["requests"] = [$"A collection holds at most {MaxRequestsPerCollection} requests."];

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connectors = await db.Connectors.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        var saved = new List<SavedRequest>();
        for (var i = 0; errors.Count == 0 && i < file.Requests!.Count; i++)
        {
            var item = file.Requests[i];
            if (item is null) { errors[$"requests[{i}]"] = ["A request is an object with name, method and url."]; continue; }
            var request = new TesterRequest
            {
                Method = item.Method ?? "", Url = item.Url ?? "", Headers = item.Headers?.ToList() ?? [], Body = item.Body, ContentType = item.ContentType,
            };
            if (item.Connector is { Length: > 0 } connectorName)
            {
                var match = connectors.FirstOrDefault(c => string.Equals(c.Name, connectorName, StringComparison.OrdinalIgnoreCase));
                if (match is null) errors[$"requests[{i}].connector"] = [$"There is no connector named \"{connectorName}\" here; create it under Connectors first, or remove it from the file."];
                else request.ConnectorId = match.Id;
            }
            ValidateRequest(errors, $"requests[{i}].", item.Name, request);
            var row = new SavedRequest { Name = "", Method = "", Url = "", Headers = "[]", Position = i };
            Fill(row, item.Name?.Trim() ?? "", TesterService.Masked(request));
            saved.Add(row);
        }
        if (errors.Count > 0) throw new ValidationException(errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var collection = new TesterCollection
        {
            Name = name, Description = string.IsNullOrEmpty(description) ? null : description[..Math.Min(description.Length, 1000)],
            CreatedBy = createdBy, CreatedAt = now, UpdatedAt = now, Requests = saved,
        };
        db.TesterCollections.Add(collection);
        await db.SaveChangesAsync(cancellationToken);
        return View(collection, connectors.ToDictionary(c => c.Id, c => c.Name));
    }

    private static (string Name, string? Description) ValidateCollection(string? name, string? description)
    {
        var errors = new Dictionary<string, string[]>();
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0) errors["name"] = ["Give the collection a name, e.g. \"CRM smoke tests\"."];
        else if (clean.Length > 200) errors["name"] = ["A name has at most 200 characters."];
        var text = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (text is { Length: > 1000 }) errors["description"] = ["A description has at most 1,000 characters."];
        if (errors.Count > 0) throw new ValidationException(errors);
        return (clean, text);
    }

    private static void ValidateRequest(Dictionary<string, string[]> errors, string prefix, string? name, TesterRequest request)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0) errors[prefix + "name"] = ["Give the request a name, e.g. \"Create order\"."];
        else if (clean.Length > 200) errors[prefix + "name"] = ["A name has at most 200 characters."];
        var method = request.Method?.Trim().ToUpperInvariant() ?? "";
        if (!TesterRequest.Methods.Contains(method)) errors[prefix + "method"] = [$"method is one of {string.Join(", ", TesterRequest.Methods)}."];
        var url = request.Url?.Trim() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            errors[prefix + "url"] = [$"'{url}' is not an absolute http(s) address."];
        else if (url.Length > 4000) errors[prefix + "url"] = ["A URL has at most 4,000 characters."];
        for (var h = 0; h < request.Headers.Count; h++)
        {
            var header = request.Headers[h];
            if (header is null || !HttpTokens.IsToken(header.Name?.Trim())) errors[$"{prefix}headers[{h}].name"] = [$"'{header?.Name}' is not a header name."];
            else if (header.Value is null || !HttpTokens.IsSafeValue(header.Value)) errors[$"{prefix}headers[{h}].value"] = ["A header value is text without line breaks."];
        }
        if (request.Body is { Length: > TesterService.MaxBodyBytes }) errors[prefix + "body"] = ["A body has at most 1 MiB."];
    }

    private static void Fill(SavedRequest row, string name, TesterRequest request)
    {
        row.Name = name;
        row.Method = request.Method.Trim().ToUpperInvariant();
        row.Url = request.Url.Trim();
        row.Headers = JsonSerializer.Serialize(request.Headers.Select(h => new HeaderLine(h.Name.Trim(), h.Value)), StudioJson.Options);
        row.Body = TesterRequest.HasBody(row.Method) ? request.Body : null;
        row.ContentType = string.IsNullOrWhiteSpace(request.ContentType) ? null : request.ContentType.Trim();
        row.ConnectorId = request.ConnectorId;
    }

    private static async Task<Dictionary<int, string>> ConnectorNamesAsync(StudioDbContext db, CancellationToken cancellationToken) =>
        await db.Connectors.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

    private static CollectionView View(TesterCollection c, IReadOnlyDictionary<int, string> connectors) => new(
        c.Id, c.Name, c.Description, c.CreatedBy, c.CreatedAt, c.UpdatedAt,
        c.Requests.OrderBy(r => r.Position).ThenBy(r => r.Id).Select(r => ViewOf(r, connectors)).ToList());

    private static SavedRequestView ViewOf(SavedRequest r, IReadOnlyDictionary<int, string> connectors) => new(r.Id, r.Position, r.Name,
        r.ConnectorId is { } id ? connectors.GetValueOrDefault(id) : null,
        new TesterRequest
        {
            Method = r.Method, Url = r.Url, Headers = JsonSerializer.Deserialize<List<HeaderLine>>(r.Headers, StudioJson.Options) ?? [],
            Body = r.Body, ContentType = r.ContentType, ConnectorId = r.ConnectorId,
        });
}
