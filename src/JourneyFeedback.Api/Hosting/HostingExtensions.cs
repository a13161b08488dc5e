using System.Globalization;
using System.Threading.RateLimiting;
using JourneyFeedback.Api.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Hosting;

internal static class RateLimitPolicies
{
    /// <summary>Authenticated API calls, partitioned per API key (or client address without one).</summary>
    public const string Api = "api";

    /// <summary>Public endpoints without a key (survey links), partitioned per client address.</summary>
    public const string Public = "public";
}

internal static class HostingExtensions
{
    /// <summary>ProblemDetails, body-size limits, rate limits and OpenAPI: the cross-cutting parts of the host.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section);
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);

        services.AddProblemDetails();
        services.AddSingleton<HtmlPageServices>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new StorableStringConverter()));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Before the 503 handler: Npgsql counts PostgreSQL's disk_full as transient, but waiting a second does not free a disk.
        services.AddExceptionHandler<StorageFullExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        // Binding failures throw, so BadRequestExceptionHandler can name the field instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Kestrel's hard ceiling is the upload limit; JSON endpoints get the smaller limit per request below.
        var maxUpload = builder.Configuration.GetValue<long?>($"{LimitsOptions.Section}:MaxUploadBytes") ?? new LimitsOptions().MaxUploadBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxUpload);

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicies.Api, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Api;
                var partition = http.Request.Headers.Authorization.ToString() is { Length: > 0 } key ? "key:" + key : "ip:" + ClientAddress(http);
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => Window(limits));
            });
            options.AddPolicy(RateLimitPolicies.Public, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Public;
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => Window(limits));
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Rate limit reached; retry after {retryAfter} s.",
                    },
                });
            };
        });

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.AddOpenApiDocument();
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(LimitRequestBody);
        app.Use(StorableText.RefuseNulInUrl);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// JSON bodies are capped at <c>Limits:MaxJsonBodyBytes</c>; endpoints that declare their own limit (uploads) keep it.
    /// A declared Content-Length over the limit is refused before anything is read.
    /// </summary>
    private static Task LimitRequestBody(HttpContext context, RequestDelegate next)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? limits.MaxJsonBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;

        if (context.Request.ContentLength > limit)
            throw new BadHttpRequestException(
                $"The request body is {context.Request.ContentLength} bytes; the limit for this endpoint is {limit} bytes.",
                StatusCodes.Status413PayloadTooLarge);
        return next(context);
    }

    private static FixedWindowRateLimiterOptions Window(RateLimitOptions.FixedWindow limits) => new()
    {
        PermitLimit = Math.Max(1, limits.PermitLimit),
        Window = TimeSpan.FromSeconds(Math.Max(1, limits.WindowSeconds)),
        QueueLimit = 0,
    };

    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

internal sealed class DatabaseHealthCheck(JourneyFeedbackDb db) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The database is not reachable.");
}
