using JourneyFeedback.Analysis.Manifests;

namespace JourneyFeedback.Api.AnalysisModels;

internal sealed class AnalysisOptions
{
    public const string Section = "Analysis";

    /// <summary>Folder with the model .zip files and manifests; default: Models/ next to the application.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Analyse imported rows in the import pipeline (off: items are analysed afterwards by the worker).</summary>
    public bool AnalyzeDuringImport { get; set; } = true;
    public int WorkerBatchSize { get; set; } = 200;
    public int WorkerPollSeconds { get; set; } = 2;

    /// <summary>
    /// The built-in training data retraining starts from (relative to the content root, like <c>Storage:DataDirectory</c>);
    /// default: TrainingData/ next to the application, copied there at build and publish.
    /// </summary>
    public string? TrainingDataDirectory { get; set; }

    public const string TrainingDataMissing =
        "The built-in training data was not found (Analysis:TrainingDataDirectory, or TrainingData/ next to the application when that is empty); "
        + "set Analysis:TrainingDataDirectory to a copy of src/JourneyFeedback.Analysis/TrainingData.";

    /// <summary>Caps each built-in training source for retraining (seeded sample); empty: all rows, as the committed models.</summary>
    public int? RetrainMaxRowsPerSource { get; set; }

    /// <summary>How much lower a retrained model may score on a held-out metric and still count as not worse.</summary>
    public double RetrainTolerance { get; set; } = ModelMetrics.DefaultTolerance;

    /// <summary>Example weight of a person's correction (built-in in-domain rows weigh 1, our own customer texts 2 for sentiment).</summary>
    public float RetrainCorrectionWeight { get; set; } = 2f;

    /// <summary>Example weight of a weak label from a rating or NPS score: noisier than a correction.</summary>
    public float RetrainWeakLabelWeight { get; set; } = 0.5f;

    /// <summary>At most this many weak labels per retrain, the newest, split evenly over negative / neutral / positive.</summary>
    public int RetrainMaxWeakLabels { get; set; } = 6000;
}
