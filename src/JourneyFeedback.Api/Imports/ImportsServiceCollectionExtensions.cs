using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JourneyFeedback.Api.Imports;

internal static class ImportsServiceCollectionExtensions
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section)
            .Validate(o => o.MaxConcurrentPerKey > 0, "Imports:MaxConcurrentPerKey must be at least 1.")
            .Validate(o => o.MaxConcurrentUploads > 0, "Imports:MaxConcurrentUploads must be at least 1.")
            .Validate(o => o.KeepUploadsFor >= TimeSpan.Zero, "Imports:KeepUploadsFor must not be negative (0: remove once finished).")
            // Shorter, and a file being moved into place just before its import row is stored could look orphaned.
            .Validate(o => o.OrphanUploadsAfter >= TimeSpan.FromMinutes(1), "Imports:OrphanUploadsAfter must be at least a minute.")
            .Validate(o => o.UploadSweepSeconds is > 0 and <= 86400, "Imports:UploadSweepSeconds must be above 0 and at most a day.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ImportQueue>();
        services.AddSingleton<UploadSlots>();
        services.AddSingleton<UploadSweepSignal>();
        services.AddScoped<ImportProcessor>();
        services.AddHostedService<ImportWorker>();
        services.AddHostedService<UploadRetentionWorker>();
        return services;
    }
}
