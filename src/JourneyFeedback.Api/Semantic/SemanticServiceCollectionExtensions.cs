namespace JourneyFeedback.Api.Semantic;

internal static class SemanticServiceCollectionExtensions
{
    public static IServiceCollection AddSemantic(this IServiceCollection services)
    {
        services.AddOptions<SemanticOptions>().BindConfiguration(SemanticOptions.Section);
        services.AddSingleton<Encoder>();
        services.AddSingleton<ThemeRefresh>();
        services.AddSingleton<SemanticWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<SemanticWorker>());
        return services;
    }
}
