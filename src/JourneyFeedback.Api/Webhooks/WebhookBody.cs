using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>Turns an event into the exact JSON body every attempt sends, within Webhooks:MaxBodyBytes.</summary>
internal static class WebhookBody
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const int LongText = 1000;

    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    public static string Serialize(string messageId, OutboxEvent e, int maxBytes)
    {
        var envelope = new WebhookEvent<object>(messageId, e.Type, e.OccurredAt, e.OccurredAt, e.WorkspaceId, e.Severity, e.Data);
        var body = JsonSerializer.Serialize(envelope, Json);
        return Encoding.UTF8.GetByteCount(body) <= maxBytes ? body : Shrink(body, maxBytes);
    }

    /// <summary>
    /// Too big (a long comment, big metadata): long strings are cut and <c>data.truncated</c> is set; if that is not
    /// enough, only the ids and links stay, so the receiver reads the rest from the API.
    /// </summary>
    private static string Shrink(string body, int maxBytes)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var data = root["data"]!.AsObject();
        Cut(data);
        data["truncated"] = true;
        var cut = root.ToJsonString(Json);
        if (Encoding.UTF8.GetByteCount(cut) <= maxBytes) return cut;

        var kept = new JsonObject { ["truncated"] = true };
        foreach (var (name, value) in data)
            if (name.EndsWith("Id", StringComparison.Ordinal) || name == "links")
                kept[name] = value?.DeepClone();
        root["data"] = kept;
        return root.ToJsonString(Json);
    }

    private static void Cut(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                    if (o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > LongText) o[name] = Shorten(s, LongText);
                    else Cut(o[name]);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > LongText) a[i] = Shorten(s, LongText);
                    else Cut(a[i]);
                break;
        }
    }

    /// <summary>The first <paramref name="max"/> characters and "…", never ending in half a surrogate pair (an emoji would become U+FFFD).</summary>
    public static string Shorten(string s, int max)
    {
        if (s.Length <= max) return s;
        var end = char.IsHighSurrogate(s[max - 1]) ? max - 1 : max;
        return s[..end] + "…";
    }
}
