namespace JourneyFeedback.Api.Maps;

internal sealed class JourneyMap
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Goal { get; set; }
    public required string Template { get; set; }
    public Persona Persona { get; set; } = new();
    public List<Stage> Stages { get; set; } = [];

    /// <summary>Bumped on every change to the map, its stages or touchpoints; served as the ETag.</summary>
    public int Version { get; set; } = 1;

    /// <summary>
    /// Bumped whenever evidence on the map changes (items stored, analysed, matched or corrected); insights cache their
    /// aggregates per (Version, EvidenceVersion), so every API instance sees a change at once.
    /// </summary>
    public long EvidenceVersion { get; set; }

    /// <summary>
    /// The evidence version at which an item last left the map or moved in time (deleted, detached, a changed
    /// OccurredAt): a snapshot older than this cannot follow by reading changed rows and is rebuilt (EvidenceVersionTriggers).
    /// </summary>
    public long EvidenceResetVersion { get; set; }

    /// <summary>The evidence version the map's pain-point themes were computed at, and when (the theme refresh).</summary>
    public long ThemesEvidenceVersion { get; set; }
    public DateTime? ThemesComputedAt { get; set; }

    /// <summary>Which touchpoint an analytics event is a contact with (Journeys/EventRules.cs); applied when journeys are read.</summary>
    public Journeys.EventRuleList EventRules { get; set; } = new();

    /// <summary>Bumped on every change of <see cref="EventRules"/>: served as their ETag, and the journey log is rebuilt.</summary>
    public long EventRulesVersion { get; set; }

    /// <summary>When <c>map.inbox.grew</c> last fired; cleared when the inbox falls below the threshold, so it fires once per crossing.</summary>
    public DateTime? InboxNotifiedAt { get; set; }

    /// <summary>When insights or evidence pages of the map were last read (recorded every few minutes): start-up warms these maps first.</summary>
    public DateTime? InsightsReadAt { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>Stored as one JSON column: it is always read and written with its map.</summary>
internal sealed class Persona
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    /// <summary>The saved segment of the customers this persona stands for: the map's insights can be shown for them.</summary>
    public Guid? SegmentId { get; set; }
    public Dictionary<string, string> Demographics { get; set; } = [];
    public List<string> Goals { get; set; } = [];
    public List<string> Motivations { get; set; } = [];
    public List<string> Challenges { get; set; } = [];
    public List<string> Influences { get; set; } = [];
}

internal sealed class Stage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MapId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public StageLanes Lanes { get; set; } = new();
    public List<Touchpoint> Touchpoints { get; set; } = [];
}

/// <summary>Authored text per lane; stored as one JSON column on the stage.</summary>
internal sealed class StageLanes
{
    public List<string> Actions { get; set; } = [];
    public List<string> Motivations { get; set; } = [];
    public List<string> Questions { get; set; } = [];
    public List<string> Emotions { get; set; } = [];
    public List<string> PainPoints { get; set; } = [];
    public List<string> Opportunities { get; set; } = [];
}

internal sealed class Touchpoint
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MapId { get; set; }
    public Guid StageId { get; set; }
    public required string Name { get; set; }
    public string? Channel { get; set; }
    public string? Phase { get; set; }
    public string? Description { get; set; }
    public List<string> Keywords { get; set; } = [];

    /// <summary>Keywords in other languages, by ISO 639-1 code ({"pl": ["karta nie dotarła"]}): the word matcher uses them.</summary>
    public KeywordsByLanguage KeywordsByLanguage { get; set; } = new();
    public int Position { get; set; }
}

/// <summary>A touchpoint's keywords per language (a class so it can be a JSON column).</summary>
internal sealed class KeywordsByLanguage : Dictionary<string, List<string>>
{
    public KeywordsByLanguage() : base(StringComparer.Ordinal) { }

    public IEnumerable<string> All => Values.SelectMany(v => v);

    /// <summary>As map documents carry it (null when there are none).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ToDocument() =>
        Count == 0 ? null : this.ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Value);
}
