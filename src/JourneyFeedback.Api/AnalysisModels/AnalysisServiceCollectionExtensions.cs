namespace JourneyFeedback.Api.AnalysisModels;

internal static class AnalysisServiceCollectionExtensions
{
    public static IServiceCollection AddAnalysis(this IServiceCollection services)
    {
        services.AddOptions<AnalysisOptions>().BindConfiguration(AnalysisOptions.Section);
        // No FeedbackAnalyzer is registered on purpose: text is always analysed with its workspace's models, which
        // WorkspaceAnalyzers hands out (loaded once, thread-safe, swapped atomically on promotion).
        services.AddSingleton<ModelStore>();
        services.AddSingleton<WorkspaceAnalyzers>();
        services.AddHostedService<AnalysisWorker>();
        services.AddSingleton<RetrainQueue>();
        services.AddHostedService<RetrainWorker>();
        return services;
    }
}
