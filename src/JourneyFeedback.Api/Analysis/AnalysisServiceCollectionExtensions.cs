using JourneyFeedback.Analysis.Serving;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Analysis;

internal static class AnalysisServiceCollectionExtensions
{
    public static IServiceCollection AddAnalysis(this IServiceCollection services)
    {
        services.AddOptions<AnalysisOptions>().BindConfiguration(AnalysisOptions.Section);
        // Loaded once, on first use, from the committed model files; thread-safe (pooled prediction engines).
        services.AddSingleton(sp => FeedbackAnalyzer.Load(sp.GetRequiredService<IOptions<AnalysisOptions>>().Value.ModelDirectory));
        services.AddHostedService<AnalysisWorker>();
        return services;
    }
}
