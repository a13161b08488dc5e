namespace JourneyFeedback.Api.Insights;

internal static class InsightsServiceCollectionExtensions
{
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddSingleton<MapEvidenceCache>();
        services.AddScoped<MapInsightsBuilder>();
        return services;
    }
}
