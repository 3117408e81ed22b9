using System.Text;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Tests.Sources.Inbound;

public class EntityMapperTests
{
    /// <summary>Samples whose ids and titles are checked by hand (every sample's suggested mappings are checked in AppCatalogTests).</summary>
    public static TheoryData<string, EntityMapping, string[], string?[]> Samples => new()
    {
        {
            "github-push.json",
            new EntityMapping("$.commits[*]", "id", "message"),
            ["59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"],
            ["Fix the retry schedule", "Add tests"]
        },
        {
            "stripe-invoice-paid.json",
            new EntityMapping("$.data.object", "id", "customer_email"),
            ["in_1QxY2yAbCdEfGhIj"],
            ["jenny.rosen@example.com"]
        },
        {
            "shopify-orders-create.json",
            new EntityMapping("$", "id", "name"),
            ["820982911946154508"],
            ["#9999"]
        },
        {
            "mailchimp-subscribe.form",
            new EntityMapping("$.data", "id", "merges.EMAIL"),
            ["8a25ff1d98"],
            ["api@example.com"]
        },
        {
            "mattermost-outgoing.json",
            new EntityMapping("$", "post_id", "text"),
            ["gzj4zbhcjb86tmj5mekzpxxqba"],
            ["#deploy webhook-studio to staging"]
        },
        {
            "hubspot-contact-events.json",
            new EntityMapping("$", "objectId", "subscriptionType"),
            ["123", "123", "124"],
            ["contact.creation", "contact.propertyChange", "contact.creation"]
        },
        {
            "tokeet-guest-created.json",
            new EntityMapping("$.guest", "pkey", "name"),
            ["a7f0c1de-3b5e-4d2a-9e0f-1c2d3e4f5a6b"],
            ["Maria Garcia"]
        },
        {
            "zendesk-ticket-updated.json",
            new EntityMapping("$.detail", "id", "subject"),
            ["35"],
            ["Webhook deliveries failing since Friday"]
        },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_payload_maps_to_its_entities(string file, EntityMapping mapping, string[] ids, string?[] titles)
    {
        Assert.True(EntityMapper.Validate(mapping).IsValid);

        var entities = EntityMapper.Extract(mapping, LoadSample(file));

        Assert.All(entities, e => Assert.Null(e.Error));
        Assert.All(entities, e => Assert.IsType<JObject>(e.Data));
        Assert.Equal(ids, entities.Select(e => e.ExternalId));
        Assert.Equal(titles, entities.Select(e => e.Title));
    }

    [Fact]
    public void Shopify_line_item_ids_beyond_2_pow_53_stay_exact()
    {
        var entities = EntityMapper.Extract(new EntityMapping("$.line_items[*]", "$.id", "title"), LoadSample("shopify-orders-create.json"));

        Assert.Equal(["866550311766439020", "141249953214522974"], entities.Select(e => e.ExternalId));
        Assert.Equal(["iPod Nano", "iPod Nano White"], entities.Select(e => e.Title));
    }

    [Fact]
    public void The_entity_is_the_payload_itself_when_the_path_is_the_root()
    {
        var payload = LoadSample("mattermost-outgoing.json");

        var entity = Assert.Single(EntityMapper.Extract(new EntityMapping(IdPath: "post_id"), payload));

        Assert.Same(payload, entity.Data);
        Assert.Null(entity.Title);
    }

    [Fact]
    public void A_path_to_an_array_gives_one_entity_per_element()
    {
        var entities = EntityMapper.Extract(new EntityMapping("$.commits", "id", null), LoadSample("github-push.json"));

        Assert.Equal(2, entities.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("$")]
    public void An_empty_entity_path_means_the_whole_payload(string entityPath)
    {
        var entity = Assert.Single(EntityMapper.Extract(new EntityMapping(entityPath, "id", null), Json("""{"id":"a"}""")));

        Assert.Equal("a", entity.ExternalId);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("$.id")]
    [InlineData("@.id")]
    [InlineData("['id']")]
    [InlineData(" id ")]
    public void Id_paths_are_relative_to_the_entity(string idPath)
    {
        var payload = Json("""{"id":"event-1","data":{"id":"entity-7","nested":{"id":"deep"}}}""");

        var entity = Assert.Single(EntityMapper.Extract(new EntityMapping("$.data", idPath, null), payload));

        Assert.Equal("entity-7", entity.ExternalId);
    }

    [Fact]
    public void A_dotted_id_path_descends_into_the_entity()
    {
        var payload = Json("""{"data":{"id":"entity-7","nested":{"id":"deep"}}}""");

        var entity = Assert.Single(EntityMapper.Extract(new EntityMapping("$.data", "nested.id", "$.id"), payload));

        Assert.Equal("deep", entity.ExternalId);
        Assert.Equal("entity-7", entity.Title);
    }

    [Theory]
    [InlineData("""{"id": 42}""", "42")]
    [InlineData("""{"id": -7}""", "-7")]
    [InlineData("""{"id": 123456789012345678901234567890}""", "123456789012345678901234567890")]
    [InlineData("""{"id": 1.50}""", "1.50")]
    [InlineData("""{"id": "  padded "}""", "  padded ")]
    public void Ids_keep_their_written_form(string json, string expected)
    {
        var entity = Assert.Single(EntityMapper.Extract(new EntityMapping(IdPath: "id"), Json(json)));

        Assert.Null(entity.Error);
        Assert.Equal(expected, entity.ExternalId);
    }

    [Theory]
    [InlineData("""{"name":"x"}""", "id", "No value at id path 'id'")]
    [InlineData("""{"id":{"value":1}}""", "id", "Id at 'id' is an object; it must be a string or number")]
    [InlineData("""{"id":[1]}""", "id", "Id at 'id' is an array; it must be a string or number")]
    [InlineData("""{"id":null}""", "id", "Id at 'id' is null; it must be a string or number")]
    [InlineData("""{"id":true}""", "id", "Id at 'id' is a boolean; it must be a string or number")]
    [InlineData("""{"id":""}""", "id", "Id at 'id' is empty")]
    [InlineData("""{"id":"x"}""", "$", "Id at '$' is an object; it must be a string or number")]
    [InlineData("""{"tags":["a","b"]}""", "tags[*]", "Id path 'tags[*]' matches several values; it must match one")]
    public void A_missing_or_unusable_id_is_an_error_on_the_entity(string json, string idPath, string error)
    {
        var payload = Json(json);

        var entity = Assert.Single(EntityMapper.Extract(new EntityMapping(IdPath: idPath), payload));

        Assert.Equal(error, entity.Error);
        Assert.False(entity.IsValid);
        Assert.Null(entity.ExternalId);
        Assert.Same(payload, entity.Data);
    }

    [Fact]
    public void Non_object_entities_are_errors()
    {
        var entities = EntityMapper.Extract(new EntityMapping("$.guest.tags[*]", "id", null), LoadSample("tokeet-guest-created.json"));

        Assert.Equal(2, entities.Count);
        Assert.All(entities, e => Assert.Equal("The entity is a string; it must be an object", e.Error));
        Assert.Equal(["returning", "family"], entities.Select(e => (string?)e.Data));
    }

    [Fact]
    public void A_title_is_optional_and_any_scalar_becomes_text()
    {
        var payload = Json("""[{"id":1,"t":7},{"id":2,"t":false},{"id":3},{"id":4,"t":{"x":1}},{"id":5,"t":null}]""");

        var entities = EntityMapper.Extract(new EntityMapping("$", "id", "t"), payload);

        Assert.All(entities, e => Assert.Null(e.Error));
        Assert.Equal(["7", "false", null, null, null], entities.Select(e => e.Title));
    }

    [Fact]
    public void An_entity_path_that_selects_nothing_gives_no_entities()
    {
        Assert.Empty(EntityMapper.Extract(new EntityMapping("$.missing", "id", null), LoadSample("stripe-invoice-paid.json")));
    }

    [Fact]
    public void A_valid_mapping_has_no_errors()
    {
        var validation = EntityMapper.Validate(new EntityMapping("$.items[?(@.kind == 'order')]", "order.id", "['display name']"));

        Assert.True(validation.IsValid);
        Assert.Empty(validation.Errors);
    }

    [Fact]
    public void Invalid_paths_are_reported_per_field()
    {
        var validation = EntityMapper.Validate(new EntityMapping("$.data[", "id]", "$..[?(@.x =="));

        Assert.False(validation.IsValid);
        Assert.Equal(["entityPath", "idPath", "titlePath"], validation.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(validation.Errors.Values, message => Assert.StartsWith("Invalid JSONPath: ", message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_id_path_is_an_error(string idPath)
    {
        var validation = EntityMapper.Validate(new EntityMapping("$", idPath, null));

        Assert.Equal("The id path is required", Assert.Single(validation.Errors, e => e.Key == "idPath").Value);
        Assert.Single(validation.Errors);
    }

    [Fact]
    public void Extract_refuses_an_invalid_mapping()
    {
        var error = Assert.Throws<ArgumentException>(() => EntityMapper.Extract(new EntityMapping("$", "", null), Json("{}")));

        Assert.Contains("idPath", error.Message, StringComparison.Ordinal);
    }

    private static JToken LoadSample(string file)
    {
        if (file.EndsWith(".form", StringComparison.Ordinal))
        {
            return FormBodyParser.Parse(SamplePayloads.Read(file).Trim());
        }

        var result = JsonBody.Parse(File.ReadAllBytes(SamplePayloads.Path(file)));
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }

    private static JToken Json(string json)
    {
        var result = JsonBody.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }
}
