using JourneyFeedback.Api.Journeys;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// Small hand-written contact logs for the journey and funnel tests. The map has six touchpoints, A..F, two per stage:
/// A B in stage 0, C D in stage 1, E F in stage 2. Times are seconds after T0.
/// </summary>
internal sealed class HandWrittenLog
{
    public static readonly DateTime T0 = new(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
    public const long Minute = 60, Hour = 3600, Day = 86_400;

    private static readonly Guid[] StageIds = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

    public static readonly JourneyTouchpoint[] Touchpoints = Enumerable.Range(0, 6)
        .Select(i => new JourneyTouchpoint(Guid.NewGuid(), ((char)('A' + i)).ToString(), StageIds[i / 2], $"S{i / 2}", i / 2))
        .ToArray();

    public static readonly JourneyTheme[] Themes = [new(Guid.NewGuid(), "Late parcel"), new(Guid.NewGuid(), "Double charge")];

    private readonly List<(string Customer, long Seconds, short Touchpoint, byte Kind, sbyte Sentiment, int Theme, int Source, Guid Id)> _contacts = [];

    public static short Tp(char touchpoint) => (short)(touchpoint - 'A');

    public static DateTime At(long seconds) => T0.AddSeconds(seconds);

    /// <summary>Adds a contact and returns its item id.</summary>
    public Guid Add(string customer, long seconds, char touchpoint, string kind = "event", sbyte sentiment = ContactLog.NoSentiment,
        int theme = -1, int source = 0)
    {
        var id = Guid.NewGuid();
        _contacts.Add((customer, seconds, Tp(touchpoint), ContactKinds.Of(kind), sentiment, theme, source, id));
        return id;
    }

    /// <summary>Events at the given touchpoints, `step` seconds apart from `start`.</summary>
    public HandWrittenLog Path(string customer, string touchpoints, long start = 0, long step = Minute)
    {
        for (var i = 0; i < touchpoints.Length; i++)
        {
            Add(customer, start + i * step, touchpoints[i]);
        }
        return this;
    }

    /// <summary>Customers in order of first appearance; each one's contacts by time (stable, as the real log).</summary>
    public ContactLog Build()
    {
        var rows = _contacts.Select((c, i) => (c, i))
            .GroupBy(x => x.c.Customer)
            .SelectMany(g => g.OrderBy(x => x.c.Seconds).ThenBy(x => x.i))
            .Select(x => x.c)
            .ToArray();
        var customers = rows.Select(r => r.Customer).Distinct().ToArray();
        var start = new int[customers.Length + 1];
        for (int c = 0, i = 0; c < customers.Length; c++)
        {
            start[c] = i;
            while (i < rows.Length && rows[i].Customer == customers[c]) i++;
            start[c + 1] = i;
        }
        return new ContactLog
        {
            Touchpoints = Touchpoints,
            Themes = Themes,
            CustomerStart = start,
            CustomerIds = customers,
            Ticks = rows.Select(r => At(r.Seconds).Ticks).ToArray(),
            Touchpoint = rows.Select(r => r.Touchpoint).ToArray(),
            Kind = rows.Select(r => r.Kind).ToArray(),
            Sentiment = rows.Select(r => r.Sentiment).ToArray(),
            Theme = rows.Select(r => r.Theme).ToArray(),
            ItemId = rows.Select(r => r.Id).ToArray(),
            Sources = ["web", "app"],
            Source = rows.Select(r => r.Source).ToArray(),
            Channels = [],
            Channel = rows.Select(_ => -1).ToArray(),
        };
    }
}
