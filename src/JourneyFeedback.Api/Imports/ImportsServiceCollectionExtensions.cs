namespace JourneyFeedback.Api.Imports;

internal static class ImportsServiceCollectionExtensions
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section);
        services.AddSingleton<ImportQueue>();
        services.AddScoped<ImportProcessor>();
        services.AddHostedService<ImportWorker>();
        return services;
    }
}
