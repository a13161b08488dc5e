namespace JourneyFeedback.Api.Journeys;

internal static class JourneysServiceCollectionExtensions
{
    public static IServiceCollection AddJourneys(this IServiceCollection services)
    {
        services.AddSingleton<JourneyLogCache>();
        services.AddHostedService<JourneysWarmer>();
        return services;
    }
}
