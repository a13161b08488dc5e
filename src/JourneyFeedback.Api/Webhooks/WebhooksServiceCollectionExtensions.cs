using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JourneyFeedback.Api.Webhooks;

internal static class WebhooksServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhooksOptions>().BindConfiguration("Webhooks")
            .Validate(o => TryParse(o.RetrySchedule), "Webhooks:RetrySchedule must be delays like \"0s 5s 5m 30m 2h 5h 10h 10h\".")
            .Validate(o => o.TimeoutSeconds is > 0 and <= 120, "Webhooks:TimeoutSeconds must be from 1 to 120.")
            .Validate(o => o.MaxConcurrentDeliveries > 0 && o.MaxConcurrentPerSubscription > 0, "Webhooks: concurrency limits must be positive.")
            .ValidateOnStart();
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", WebhooksOpenApi.Describe);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    private static bool TryParse(string schedule)
    {
        try
        {
            WebhooksOptions.ParseSchedule(schedule);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
