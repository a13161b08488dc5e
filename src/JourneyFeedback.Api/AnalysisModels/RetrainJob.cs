namespace JourneyFeedback.Api.AnalysisModels;

internal static class RetrainStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Promoted = "promoted";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
}

/// <summary>
/// One retraining of a workspace's models: what it trained on, the held-out metrics of the candidate and of the version
/// in use, and the decision. The latest promoted job of a workspace names the version that analyses its text.
/// </summary>
internal sealed class RetrainJob
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid? RequestedByKeyId { get; set; }
    public string Status { get; set; } = RetrainStatus.Queued;

    // Training examples taken from the workspace (filled in when the job starts).
    public int SentimentCorrections { get; set; }
    public int EmotionCorrections { get; set; }
    public int PainPointCorrections { get; set; }
    public int WeakLabelsFromRatings { get; set; }
    public int WeakLabelsFromNps { get; set; }

    /// <summary>The training size (rows per built-in source, null: all) and promotion tolerance this job used.</summary>
    public int? MaxRowsPerSource { get; set; }
    public double Tolerance { get; set; }

    /// <summary>The version that was in use when the job compared (committed default or an earlier promoted one).</summary>
    public string? CurrentVersion { get; set; }
    public string? CandidateVersion { get; set; }

    /// <summary>Held-out metrics per model (model → metric → value), both measured by this job on the same data.</summary>
    public Dictionary<string, Dictionary<string, double>> CurrentMetrics { get; set; } = [];
    public Dictionary<string, Dictionary<string, double>> CandidateMetrics { get; set; } = [];

    /// <summary>Why it was promoted or rejected, or why it failed.</summary>
    public string? Reason { get; set; }

    /// <summary>The instance training it and when it last reported; a stale heartbeat means it died with that instance.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? HeartbeatAt { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}
