namespace JourneyFeedback.Api.Insights;

internal static class InsightsServiceCollectionExtensions
{
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddOptions<InsightsOptions>().BindConfiguration(InsightsOptions.Section)
            .Validate(o => o.QuickRefreshMilliseconds >= 0 && o.QuickRefreshRows >= 0 && o.MaxWaitMilliseconds >= 0 && o.RefreshIntervalMilliseconds >= 0,
                "Insights waits and intervals cannot be negative.")
            .Validate(o => o.RefreshShare is > 0 and <= 1, "Insights:RefreshShare is a share of a core: above 0, at most 1.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<MapEvidenceCache>();
        services.AddScoped<MapInsightsBuilder>();
        services.AddHostedService<InsightsWarmer>();
        return services;
    }
}
