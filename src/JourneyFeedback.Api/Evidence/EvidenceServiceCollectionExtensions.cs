namespace JourneyFeedback.Api.Evidence;

internal static class EvidenceServiceCollectionExtensions
{
    public static IServiceCollection AddEvidence(this IServiceCollection services)
    {
        services.AddOptions<MatchingOptions>().BindConfiguration(MatchingOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MatcherCache>();
        services.AddHostedService<MatchingWorker>();
        return services;
    }
}
