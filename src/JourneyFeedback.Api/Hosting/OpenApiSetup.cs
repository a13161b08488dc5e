using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using JourneyFeedback.Api.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace JourneyFeedback.Api.Hosting;

/// <summary>The OpenAPI document (served at /swagger/v1/swagger.json) and Swagger UI (at /swagger).</summary>
internal static class OpenApiSetup
{
    private const string BearerScheme = "Bearer";

    public static WebApplicationBuilder AddOpenApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "JourneyFeedback API",
                    Version = "v1",
                    // Swagger UI renders this as Markdown with HTML allowed: an angle-bracket placeholder would vanish as a tag.
                    Description = "Turns customer feedback into evidence on customer journey maps. "
                        + "Authenticate with the header `Authorization: Bearer YOUR_API_KEY`; the first start prints an admin key.",
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "API key",
                    Description = "An API key of your workspace (roles: admin, author, researcher, agent, viewer).",
                };
                return Task.CompletedTask;
            });

            // StorableStringConverter hides from the schema exporter that it reads strings: describe them as strings again.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo;
                if (type.Type == typeof(string) && schema.Type is null)
                    schema.Type = context.JsonPropertyInfo is { } property && (property.IsGetNullable || property.IsSetNullable)
                        ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                else if (type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType == typeof(string) && schema.Items is null)
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
                else if (type.Kind == JsonTypeInfoKind.Dictionary && type.ElementType == typeof(string) && schema.AdditionalProperties is null)
                    schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
                return Task.CompletedTask;
            });

            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing, unknown or revoked API key (ProblemDetails)" });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role may not do this (ProblemDetails)" });
                }
                else
                {
                    // Public on purpose (survey links): an explicit empty requirement says so, instead of leaving it unstated.
                    operation.Security = [];
                }
                AddExample(operation, context.Description.ActionDescriptor.EndpointMetadata);
                return Task.CompletedTask;
            });
        });

        // Registered after every feature's Configure, so it sees their tags and webhooks too.
        builder.Services.PostConfigure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var server in document.Servers ?? [])
                if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description = description;
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>One line per feature group, shown above its operations in Swagger UI and other OpenAPI readers.</summary>
    internal static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>
    {
        ["Workspaces"] = "The calling key's workspace, its name and redaction setting; listing and creating workspaces (instance administrator).",
        ["API keys"] = "Keys of the workspace and their roles (admin, author, researcher, agent, viewer); a key is shown once.",
        ["Maps"] = "Journey maps: persona, stages with lanes, touchpoints; whole-map and per-stage/touchpoint edits with ETags.",
        ["Surveys"] = "NPS, CSAT, CES and attribution surveys: invitations with single-use links, results and CSV exports.",
        ["Imports"] = "CSV uploads of support logs, complaints, reviews, interviews, analytics events and customer attributes, processed in the background.",
        ["Evidence"] = "Feedback items with their analysis and place on a map; corrections that teach the models and the matcher.",
        ["Insights"] = "What the evidence says per stage and touchpoint: sentiment, emotions, NPS, pain points, trends, suggestions, the map view and exports.",
        ["Journeys"] = "Observed journeys from analytics events: event rules, the directly-follows graph, funnels, one customer's timeline.",
        ["Customers"] = "Customer attributes (plan, country, tenure…) used by segments.",
        ["Segments"] = "Saved segments: filters over customer attributes and item fields, for insights, journeys and comparisons.",
        ["Comparisons"] = "Is it getting better, and for whom: two periods or two segments side by side, with intervals and tests.",
        ["Analysis"] = "Text analysis (sentiment, emotions, pain points, language) on demand or for stored items; the models in use and retraining on corrections.",
        ["Webhooks"] = "Subscriptions to events (signed Standard Webhooks deliveries with retries); the events themselves are under webhooks.",
        ["Share links"] = "Read-only links to a map's view for people without an API key: created with an optional expiry and segment, listed, revoked.",
        ["Shared map views (public)"] = "What a share link serves: the map view (HTML) and its CSV and Markdown downloads. No key; rate-limited.",
        ["Survey links (public)"] = "What a customer's survey link serves: the answer form (HTML or JSON) and the answer. No key; rate-limited.",
    };

    public static WebApplication MapOpenApiAndSwaggerUi(this WebApplication app)
    {
        app.MapOpenApi("/swagger/{documentName}/swagger.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "JourneyFeedback v1");
            options.DocumentTitle = "JourneyFeedback API";
        });
        return app;
    }

    /// <summary>Request examples taken from real documents, so the example in Swagger UI always works.</summary>
    private static void AddExample(OpenApiOperation operation, IList<object> metadata)
    {
        var name = metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        var example = name switch
        {
            "CreateMap" or "UpdateMap" => SampleMapExample.Value,
            "CreateKey" => JsonNode.Parse("""{"name":"Support team survey sender","role":"agent"}"""),
            "CreateWorkspace" => JsonNode.Parse("""{"name":"Acme Retail"}"""),
            "AddStage" => JsonNode.Parse("""{"name":"Onboarding","position":2,"lanes":{"actions":["Creates an account"],"painPoints":["Verification e-mail arrives late"]},"touchpoints":[{"name":"Welcome e-mail","channel":"email","phase":"post-purchase","keywords":["welcome","verify"]}]}"""),
            "AddTouchpoint" or "UpdateTouchpoint" => JsonNode.Parse("""{"name":"Live chat","channel":"chat","phase":"purchase","description":"Chat widget on product and checkout pages","keywords":["chat","agent","widget"]}"""),
            "UpdateStage" => JsonNode.Parse("""{"name":"Consideration","lanes":{"questions":["Is it in stock?"]}}"""),
            _ => null,
        };
        if (example is null || operation.RequestBody?.Content is null) return;
        foreach (var media in operation.RequestBody.Content.Values) media.Example = example.DeepClone();
    }

    private static readonly Lazy<JsonNode?> SampleMapExample = new(() =>
    {
        var sample = DatabaseInitializer.LoadSampleMaps().FirstOrDefault();
        return sample is null ? null : JsonSerializer.SerializeToNode(sample, new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        });
    });
}
