namespace WebhookStudio.Features.Bins;

/// <summary>A bin's response as it is being edited in a form: headers as typed, one per line.</summary>
public sealed class BinResponseDraft
{
    public int Status { get; set; } = 200;
    public string ContentType { get; set; } = BinResponse.DefaultContentType;
    public string HeadersText { get; set; } = "";
    public string Body { get; set; } = BinResponse.Default.Body;

    public static BinResponseDraft From(BinResponse response) => new()
    {
        Status = response.Status,
        ContentType = response.ContentType,
        HeadersText = HeaderLines.Format(response.Headers),
        Body = response.Body,
    };

    /// <summary>The response; throws the same <see cref="Api.ValidationException"/> the service would, for lines that are not headers.</summary>
    public BinResponse ToResponse()
    {
        var (headers, error) = HeaderLines.Parse(HeadersText);
        if (error is not null)
            throw new Api.ValidationException("headers", error);
        return new BinResponse(Status, (ContentType ?? "").Trim(), headers, Body ?? "");
    }
}
