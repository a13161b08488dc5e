namespace JourneyFeedback.Api.Journeys;

/// <summary>A touchpoint of the map in map order (stage position, then touchpoint position).</summary>
internal sealed record JourneyTouchpoint(Guid Id, string Name, Guid StageId, string StageName, int StageIndex);

/// <summary>A pain-point theme an item on the map belongs to.</summary>
internal sealed record JourneyTheme(Guid Id, string Name);

/// <summary>What a contact was: an analytics event or one kind of feedback item.</summary>
internal static class ContactKinds
{
    public const byte Event = 0;

    /// <summary>Index = kind code; "event" first, then the feedback item kinds.</summary>
    public static readonly string[] Names = ["event", "survey", "support-log", "complaint-log", "review", "interview"];

    public static byte Of(string kind)
    {
        var index = Array.IndexOf(Names, kind);
        return index < 0 ? (byte)1 : (byte)index;
    }
}

/// <summary>
/// Every contact of a map's customers with one of its touchpoints, from all sources (events placed by the map's event
/// rules, feedback items placed on a touchpoint), as columns sorted by customer and then by time.
/// Contacts without a customer id or a touchpoint are not in the log. Built once per map and evidence/events/rules
/// version (JourneyLogCache) and only read afterwards.
/// </summary>
internal sealed class ContactLog
{
    public const sbyte NoSentiment = sbyte.MinValue;

    public required JourneyTouchpoint[] Touchpoints { get; init; }
    public required JourneyTheme[] Themes { get; init; }

    /// <summary>Customer c's contacts are [CustomerStart[c], CustomerStart[c + 1]); length = customers + 1.</summary>
    public required int[] CustomerStart { get; init; }
    public required string[] CustomerIds { get; init; }

    /// <summary>Per contact, in customer then time order (ties keep a stable order: events before items, then by id).</summary>
    public required long[] Ticks { get; init; }
    public required short[] Touchpoint { get; init; }
    public required byte[] Kind { get; init; }

    /// <summary>-1 negative, 0 neutral, 1 positive; NoSentiment for events and items not analysed yet.</summary>
    public required sbyte[] Sentiment { get; init; }

    /// <summary>Index into Themes, or -1.</summary>
    public required int[] Theme { get; init; }

    /// <summary>The event's or feedback item's id (for quotes and links).</summary>
    public required Guid[] ItemId { get; init; }

    /// <summary>Segment values per contact, as indexes into the matching value arrays (-1: none).</summary>
    public required string[] Sources { get; init; }
    public required int[] Source { get; init; }
    public required string[] Channels { get; init; }
    public required int[] Channel { get; init; }

    public int Customers => CustomerIds.Length;
    public int Count => Ticks.Length;
}
