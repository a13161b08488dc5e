using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace JourneyFeedback.Api.Tests.Infrastructure;

public static class SampleMaps
{
    /// <summary>The shipped e-commerce sample as posted by a user.</summary>
    public static JsonObject Ecommerce() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "maps", "ecommerce-journey.json")))!.AsObject();

    public static JsonObject Small(string name = "Checkout journey") => JsonNode.Parse($$"""
        {
          "name": "{{name}}",
          "goal": "Buy without friction",
          "template": "current-state",
          "persona": { "name": "Ana", "demographics": { "age": "29" }, "goals": ["Pay fast"] },
          "stages": [
            { "name": "Consideration", "lanes": { "questions": ["Is it in stock?"] },
              "touchpoints": [ { "name": "Website", "channel": "web", "phase": "pre-purchase", "keywords": ["site"] } ] },
            { "name": "Purchase", "lanes": { "painPoints": ["Card declined"] },
              "touchpoints": [
                { "name": "Checkout", "channel": "checkout", "phase": "purchase", "keywords": ["payment", "card"] },
                { "name": "Live chat", "channel": "chat", "phase": "purchase" } ] }
          ]
        }
        """)!.AsObject();

    public static async Task<JsonObject> CreateAsync(HttpClient client, JsonObject? map = null)
    {
        var response = await client.PostAsJsonAsync("/api/maps", map ?? Small());
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Creating a map failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
