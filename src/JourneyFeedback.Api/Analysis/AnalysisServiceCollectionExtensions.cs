using JourneyFeedback.Analysis.Serving;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Analysis;

internal static class AnalysisServiceCollectionExtensions
{
    public static IServiceCollection AddAnalysis(this IServiceCollection services)
    {
        services.AddOptions<AnalysisOptions>().BindConfiguration(AnalysisOptions.Section);
        // Loaded once, on first use, from the committed model files; thread-safe (pooled prediction engines).
        services.AddSingleton(sp =>
        {
            // An empty setting (as in appsettings.example.json) means the default: Models/ next to the app.
            var directory = sp.GetRequiredService<IOptions<AnalysisOptions>>().Value.ModelDirectory;
            return FeedbackAnalyzer.Load(string.IsNullOrWhiteSpace(directory) ? null : directory);
        });
        services.AddHostedService<AnalysisWorker>();
        return services;
    }
}
