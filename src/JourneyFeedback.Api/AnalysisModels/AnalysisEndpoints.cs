using JourneyFeedback.Analysis.Manifests;
using JourneyFeedback.Analysis.Serving;
using System.Security.Claims;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using Microsoft.EntityFrameworkCore;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JourneyFeedback.Api.AnalysisModels;

/// <param name="Texts">Up to 1,000 texts.</param>
/// <param name="Language">The texts' language when known (pl, it, ro, en…); detected per text when omitted.</param>
public sealed record ClassifyRequest(IReadOnlyList<string>? Texts, string? Language = null);

public sealed record ClassifiedSentiment(string Label, IReadOnlyDictionary<string, double> Scores);

public sealed record ClassifiedEmotion(string Label, string Group, double Score);

public sealed record ClassifiedPainPoint(string Category, double Score);

public sealed record ClassifiedText(
    ClassifiedSentiment Sentiment,
    IReadOnlyList<ClassifiedEmotion> Emotions,
    IReadOnlyList<ClassifiedPainPoint> PainPoints,
    string PrimaryPainPoint,
    IReadOnlyList<string> KeyPhrases,
    string Language,
    double LanguageConfidence,
    bool LowConfidence,
    string ModelVersion,
    string ModelLanguage);

public sealed record ClassifyResponse(IReadOnlyList<ClassifiedText> Results);

/// <summary>Which stored items to analyse again (all of the workspace's when empty).</summary>
public sealed record ReanalyzeRequest(Guid? ImportId = null, DateTime? From = null, DateTime? To = null);

public sealed record ReanalyzeResponse(int Queued);

/// <summary>
/// The version analysing the caller's workspace, where it comes from (<c>committed</c>: shipped with the app;
/// <c>retrained</c>: promoted for this workspace by a retrain job, with when) and the three models' manifests.
/// </summary>
/// <param name="Version">The English models' version.</param>
/// <param name="Source">committed or retrained.</param>
/// <param name="RetrainJobId">The retrain job that promoted the version, if any.</param>
/// <param name="PromotedAt">When it was promoted, if retrained.</param>
/// <param name="Models">The English models (the ones a retrain replaces).</param>
/// <param name="Languages">Every language with models of its own (English first), each with its three manifests.</param>
public sealed record ModelsResponse(string Version, string Source, Guid? RetrainJobId, DateTime? PromotedAt, IReadOnlyList<ModelManifest> Models,
    IReadOnlyList<LanguageModelsInfo> Languages);

/// <summary>One language's models: their version and, per model, training data, labels, thresholds and held-out metrics.</summary>
public sealed record LanguageModelsInfo(string Language, string Version, IReadOnlyList<ModelManifest> Models);

internal static class AnalysisEndpoints
{
    public const int MaxTexts = 1000;
    public const int MaxTextLength = 50_000;

    public static IEndpointRouteBuilder MapAnalysis(this IEndpointRouteBuilder app)
    {
        var analysis = app.MapGroup("/analysis").WithTags("Analysis").RequireAuthorization(Policies.Read);
        analysis.MapPost("/classify", Classify).WithName("ClassifyTexts")
            .WithSummary("Sentiment, emotions, pain-point categories, key phrases and language for up to 1,000 texts");
        analysis.MapPost("/reanalyze", Reanalyze).WithName("ReanalyzeEvidence")
            .WithSummary("Queue stored items for analysis with the workspace's current models; corrected fields are kept")
            .RequireAuthorization(Policies.EditMaps);
        analysis.MapGet("/models", Models).WithName("ListModels")
            .WithSummary("The version analysing the caller's workspace; per language and model its training data, trained-at, thresholds, labels and held-out metrics");
        analysis.MapRetrain();
        return app;
    }

    private static async Task<Results<Ok<ClassifyResponse>, ValidationProblem>> Classify(
        ClassifyRequest request, ClaimsPrincipal user, WorkspaceAnalyzers analyzers, CancellationToken ct)
    {
        var texts = request.Texts ?? [];
        var errors = new ValidationErrors();
        if (texts.Count == 0) errors.Add("texts", "At least one text.");
        if (texts.Count > MaxTexts) errors.Add("texts", $"At most {MaxTexts} texts per call (got {texts.Count}).");
        for (var i = 0; i < texts.Count && errors.IsEmpty; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i])) errors.Add($"texts[{i}]", "Must not be empty.");
            else if (texts[i].Length > MaxTextLength) errors.Add($"texts[{i}]", $"At most {MaxTextLength} characters.");
        }
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var models = await analyzers.ForWorkspaceAsync(user.WorkspaceId(), ct);
        var results = models.Analyzer.Analyze(texts, texts.Select(_ => request.Language).ToList(), Environment.ProcessorCount);
        return TypedResults.Ok(new ClassifyResponse(results.Select(ToResponse).ToList()));
    }

    /// <summary>
    /// Clearing AnalyzedAt puts items in the background worker's queue; the worker scores them with the workspace's
    /// models (a promoted retrained version once there is one) and keeps corrections.
    /// </summary>
    private static async Task<Accepted<ReanalyzeResponse>> Reanalyze(ReanalyzeRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var items = db.FeedbackItems.Where(f => f.WorkspaceId == workspaceId && f.AnalyzedAt != null);
        if (request.ImportId is { } importId) items = items.Where(f => f.ImportId == importId);
        if (request.From is { } from) { var start = DateTime.SpecifyKind(from, DateTimeKind.Utc); items = items.Where(f => f.OccurredAt >= start); }
        if (request.To is { } to) { var end = DateTime.SpecifyKind(to, DateTimeKind.Utc); items = items.Where(f => f.OccurredAt < end); }
        var queued = await items.ExecuteUpdateAsync(s => s.SetProperty(f => f.AnalyzedAt, (DateTime?)null), ct);
        return TypedResults.Accepted("/api/evidence", new ReanalyzeResponse(queued));
    }

    private static async Task<Ok<ModelsResponse>> Models(ClaimsPrincipal user, WorkspaceAnalyzers analyzers, CancellationToken ct)
    {
        var models = await analyzers.ForWorkspaceAsync(user.WorkspaceId(), ct);
        var analyzer = models.Analyzer;
        var languages = analyzer.Languages.Select(l => new LanguageModelsInfo(l, analyzer.ManifestsFor(l)[0].Version, analyzer.ManifestsFor(l))).ToList();
        return TypedResults.Ok(new ModelsResponse(models.Version, models.Source, models.RetrainJobId, models.PromotedAt, analyzer.Manifests, languages));
    }

    private static ClassifiedText ToResponse(AnalysisResult r) => new(
        new ClassifiedSentiment(r.Sentiment.Label, new Dictionary<string, double>
        {
            ["negative"] = Math.Round(r.Sentiment.Scores.Negative, 4),
            ["neutral"] = Math.Round(r.Sentiment.Scores.Neutral, 4),
            ["positive"] = Math.Round(r.Sentiment.Scores.Positive, 4),
        }),
        r.Emotions.Select(e => new ClassifiedEmotion(e.Label, e.Group, Math.Round(e.Score, 4))).ToList(),
        r.PainPoints.Select(p => new ClassifiedPainPoint(p.Category, Math.Round(p.Score, 4))).ToList(),
        r.PrimaryPainPoint,
        r.KeyPhrases,
        r.Language.Code,
        Math.Round(r.Language.Confidence, 3),
        r.LowConfidence,
        StoredAnalysis.Version(r.ModelVersions),
        r.ModelLanguage);
}
