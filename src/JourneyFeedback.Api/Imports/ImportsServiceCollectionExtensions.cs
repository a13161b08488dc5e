using JourneyFeedback.Api.Data;

namespace JourneyFeedback.Api.Imports;

internal static class ImportsServiceCollectionExtensions
{
    public static WebApplicationBuilder AddImports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section);
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddScoped<ImportProcessor>();
        builder.Services.AddHostedService<ImportWorker>();
        return builder;
    }
}
