using System.Text.Json;
using System.Text.Json.Serialization;

namespace JourneyFeedback.Analysis.Manifests;

/// <summary>
/// What is known about one saved model: written next to its .zip as {Name}.manifest.json.
/// Labels are in score-vector order; Thresholds are per label (emotions only, empty otherwise).
/// </summary>
public sealed record ModelManifest
{
    public required string Name { get; init; }

    /// <summary>The language the model reads (ISO 639-1); manifests written before per-language models are English.</summary>
    public string Language { get; init; } = ModelNames.English;
    public required string Version { get; init; }
    public required DateTimeOffset TrainedAt { get; init; }
    public required string ModelFile { get; init; }
    public required string FeaturizerVersion { get; init; }
    public required string TrainingData { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public IReadOnlyDictionary<string, float> Thresholds { get; init; } = new Dictionary<string, float>();
    public required ModelMetrics HeldOutMetrics { get; init; }

    /// <summary>Per-label precision / recall / F1 on held-out data; informative, not used for promotion.</summary>
    public IReadOnlyDictionary<string, double> HeldOutDetails { get; init; } = new Dictionary<string, double>();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string FileNameFor(string modelName) => modelName + ".manifest.json";

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelManifest FromJson(string json) =>
        JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions)
        ?? throw new InvalidDataException("Empty model manifest.");

    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileNameFor(Name)), ToJson());

    public static ModelManifest Load(string directory, string modelName) =>
        FromJson(File.ReadAllText(Path.Combine(directory, FileNameFor(modelName))));
}
