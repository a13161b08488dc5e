namespace JourneyFeedback.Api.Insights;

internal static class InsightsServiceCollectionExtensions
{
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddOptions<InsightsOptions>().BindConfiguration(InsightsOptions.Section)
            .Validate(o => o.QuickRefreshMilliseconds >= 0 && o.QuickRefreshRows >= 0 && o.MaxWaitMilliseconds >= 0, "Insights waits cannot be negative.")
            .Validate(o => o.BackgroundShare is > 0 and <= 1, "Insights:BackgroundShare is a share of a core, above 0 and at most 1.")
            .ValidateOnStart();
        services.AddSingleton<MapEvidenceCache>();
        services.AddScoped<MapInsightsBuilder>();
        services.AddHostedService<InsightsWarmer>();
        return services;
    }
}
