// Only the members whose meaning is not obvious from their name carry a <param> definition.
#pragma warning disable CS1573

namespace JourneyFeedback.Api.Journeys;

/// <summary>What GET /journeys asks of the contact log.</summary>
/// <param name="From">A contact is selected when From &lt;= time (UTC).</param>
/// <param name="To">A contact is selected when time &lt; To (UTC).</param>
/// <param name="ContactInSegment">Takes a contact index; a customer counts when one of their selected contacts passes.</param>
/// <param name="Gap">Two consecutive contacts more than Gap apart start a new journey.</param>
/// <param name="CollapseLoops">Variants keep only the first visit of each touchpoint (A B A C → A B C).</param>
/// <param name="VariantLimit">How many of the most frequent variants are listed.</param>
internal sealed record JourneyQuery(DateTime? From, DateTime? To, Func<int, bool>? ContactInSegment, TimeSpan Gap,
    bool CollapseLoops, int VariantLimit);

internal enum FunnelMode { Ordered, Strict, Any }

/// <summary>One funnel step: a touchpoint or a whole stage (any of its touchpoints); Touchpoints = indexes into log.Touchpoints.</summary>
internal sealed record FunnelStep(Guid Id, string Name, string Type /* "touchpoint" | "stage" */, short[] Touchpoints);

/// <summary>What GET /funnel asks of the contact log (selection and segment as in <see cref="JourneyQuery"/>).</summary>
internal sealed record FunnelQuery(DateTime? From, DateTime? To, Func<int, bool>? ContactInSegment, IReadOnlyList<FunnelStep> Steps,
    TimeSpan Window, FunnelMode Mode, int ThemeLimit);

/// <summary>The directly-follows graph of the selected customers' journeys.</summary>
/// <param name="Customers">Customers with at least one selected contact (after the segment).</param>
/// <param name="Journeys">Runs of a customer's selected contacts with no gap larger than the query's Gap.</param>
/// <param name="Contacts">Selected contacts of the counted customers.</param>
/// <param name="Transitions">Pairs of consecutive steps within a journey.</param>
/// <param name="DistinctVariants">Different step sequences among all journeys.</param>
/// <param name="OtherJourneys">Journeys whose variant is not in the listed top variants.</param>
internal sealed record JourneyGraph(int Customers, int Journeys, int Contacts, int Transitions, JourneyNode[] Nodes,
    JourneyEdge[] Edges, JourneyEndpoint[] Starts, JourneyEndpoint[] Ends, JourneyVariant[] Variants, int DistinctVariants,
    int OtherJourneys, Squiggle Squiggle)
{
    /// <summary>When the journey log this answer was computed on was built.</summary>
    public DateTime AsOf { get; init; }

    /// <summary>False when a newer log is being built and this answer comes from the previous one.</summary>
    public bool Current { get; init; } = true;
}

/// <summary>A touchpoint with at least one selected contact.</summary>
/// <param name="JourneysStarting">Journeys whose first step is here.</param>
/// <param name="JourneysEnding">Journeys whose last step is here.</param>
internal sealed record JourneyNode(Guid TouchpointId, string Name, Guid StageId, string StageName, int StageIndex,
    int Contacts, int Customers, int JourneysStarting, int JourneysEnding);

/// <summary>A directly-follows edge A→B; seconds are from the end of step A to the start of step B.</summary>
/// <param name="Backward">B's stage comes before A's stage in the map.</param>
internal sealed record JourneyEdge(Guid FromTouchpointId, string FromName, Guid ToTouchpointId, string ToName,
    int Transitions, int Customers, double MedianSeconds, double P90Seconds, bool Backward);

/// <summary>A touchpoint where journeys start (or end).</summary>
internal sealed record JourneyEndpoint(Guid TouchpointId, string Name, int Journeys, int Customers);

/// <summary>A journey's sequence of step touchpoints, with how many journeys follow it.</summary>
/// <param name="Share">Journeys / all journeys.</param>
internal sealed record JourneyVariant(Guid[] TouchpointIds, string[] Names, int Journeys, int Customers, double Share);

/// <summary>How far journeys stray from a straight path through the map.</summary>
/// <param name="BackwardCustomers">Customers with at least one backward transition.</param>
/// <param name="BackwardShare">BackwardCustomers / customers (0 without customers).</param>
/// <param name="ReworkCustomers">Customers who came back to a touchpoint within a journey, or left two items in a row at one.</param>
/// <param name="ReworkShare">ReworkCustomers / customers (0 without customers).</param>
/// <param name="MeanDistinctTouchpoints">Mean over customers of the distinct touchpoints of their selected contacts.</param>
/// <param name="MeanStepsPerJourney">Steps / journeys (0 without journeys).</param>
internal sealed record Squiggle(int BackwardCustomers, double BackwardShare, int ReworkCustomers, double ReworkShare,
    double MeanDistinctTouchpoints, double MeanStepsPerJourney);

/// <summary>How many customers went through the funnel's steps, and what happened to those who stopped.</summary>
/// <param name="Mode">"ordered", "strict" or "any".</param>
/// <param name="Entered">Customers with an anchor contact.</param>
internal sealed record Funnel(string Mode, double WindowSeconds, int Entered, FunnelStepResult[] Steps)
{
    /// <summary>When the journey log this answer was computed on was built.</summary>
    public DateTime AsOf { get; init; }

    /// <summary>False when a newer log is being built and this answer comes from the previous one.</summary>
    public bool Current { get; init; } = true;
}

/// <summary>One funnel step's counts, conversions and timings.</summary>
/// <param name="Customers">Customers who reached this step.</param>
/// <param name="ConversionFromPrevious">Customers / the previous step's customers (1 for the first step).</param>
/// <param name="ConversionFromStart">Customers / the first step's customers.</param>
/// <param name="DroppedAfter">Customers who reached this step but not the next (0 for the last).</param>
/// <param name="DropOffRate">DroppedAfter / Customers.</param>
/// <param name="MedianSecondsFromPrevious">Median time from reaching the previous step to reaching this one.</param>
/// <param name="MedianSecondsFromStart">Median time from the anchor to reaching this step.</param>
/// <param name="DropOff">Who stopped after this step (null for the last step).</param>
internal sealed record FunnelStepResult(Guid Id, string Name, string Type, int Customers, double ConversionFromPrevious,
    double ConversionFromStart, int DroppedAfter, double DropOffRate, double? MedianSecondsFromPrevious,
    double? MedianSecondsFromStart, DropOff? DropOff);

/// <summary>The customers who stopped after a step: where they were last and what they said before leaving.</summary>
internal sealed record DropOff(int Customers, DropOffTouchpoint[] LastTouchpoints, DropOffSentiment Sentiment, DropOffTheme[] Themes);

/// <summary>A touchpoint of the last contact within the window, with how many dropped customers were last there.</summary>
internal sealed record DropOffTouchpoint(Guid TouchpointId, string Name, int Customers);

/// <summary>Feedback items (not events) the dropped customers left up to their last contact, by sentiment.</summary>
internal sealed record DropOffSentiment(int Negative, int Neutral, int Positive, int NotAnalysed);

/// <summary>A pain-point theme of those items, with up to 3 item ids, the latest first.</summary>
internal sealed record DropOffTheme(Guid ThemeId, string Name, int Items, int Customers, Guid[] ItemIds);
