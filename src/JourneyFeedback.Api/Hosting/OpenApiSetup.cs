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
                AddExample(operation, context.Description.ActionDescriptor.EndpointMetadata);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

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
