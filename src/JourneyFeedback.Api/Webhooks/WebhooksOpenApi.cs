using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// The events in the OpenAPI document: an OpenAPI 3.1 <c>webhooks</c> entry per event type, whose request body is the
/// event's schema (a component <c>WebhookEventOf…</c>) and whose parameters are the Standard Webhooks headers.
/// </summary>
internal static class WebhooksOpenApi
{
    private static readonly (string Type, Type Data, string Summary)[] Events =
    [
        (WebhookEventTypes.SurveyAnswered, typeof(SurveyAnswerData), "A survey answer was stored"),
        (WebhookEventTypes.SurveyDetractor, typeof(SurveyAnswerData), "A detractor answered: NPS 0–6, CSAT 1–2, CES 1–2"),
        (WebhookEventTypes.ImportCompleted, typeof(ImportFinishedData), "An import finished"),
        (WebhookEventTypes.ImportFailed, typeof(ImportFinishedData), "An import stopped on an error"),
        (WebhookEventTypes.PainPointEmerged, typeof(PainPointData), "A pain-point theme appeared in the current period"),
        (WebhookEventTypes.PainPointSpiked, typeof(PainPointData), "A pain-point theme rose significantly against the previous period"),
        (WebhookEventTypes.MapInboxGrew, typeof(InboxGrewData), "A map's inbox reached the threshold"),
        (WebhookEventTypes.Test, typeof(WebhookTestData), "A test event, on request"),
    ];

    private static readonly (string Name, string Description)[] Headers =
    [
        ("webhook-id", "The message id (msg_…): the same on every retry and replay; dedupe on it."),
        ("webhook-timestamp", "The attempt's time, Unix seconds; reject values far from your clock."),
        ("webhook-signature", "Space-separated 'v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\">', keyed with the bytes of the secret after 'whsec_'; two during a secret rotation."),
    ];

    public static void Describe(OpenApiOptions options) => options.AddDocumentTransformer(async (document, context, ct) =>
    {
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (type, data, summary) in Events)
        {
            var name = "WebhookEventOf" + data.Name;
            if (!document.Components.Schemas.ContainsKey(name))
                document.Components.Schemas[name] = await context.GetOrCreateSchemaAsync(typeof(WebhookEvent<>).MakeGenericType(data), null, ct);
            document.Webhooks[type] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Post] = new()
                    {
                        OperationId = "webhook-" + type.Replace('.', '-'),
                        Summary = summary,
                        Description = $"Sent to subscriptions of '{type}' (docs/webhooks.md). Any 2xx within the timeout acknowledges it; anything else is retried on the schedule; 410 disables the subscription.",
                        Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
                        // The receiver authenticates these by the webhook-signature header, not by a scheme of this API.
                        Security = [],
                        Parameters = [.. Headers.Select(h => (IOpenApiParameter)new OpenApiParameter
                        {
                            Name = h.Name, In = ParameterLocation.Header, Required = true, Description = h.Description,
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        })],
                        RequestBody = new OpenApiRequestBody
                        {
                            Required = true,
                            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, document) } },
                        },
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse { Description = "Received (any 2xx)" },
                            ["410"] = new OpenApiResponse { Description = "Gone: the API disables the subscription" },
                        },
                    },
                },
            };
        }
    });
}
