using JourneyFeedback.Api.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace JourneyFeedback.Api.Hosting;

/// <summary>What an operator needs after <c>dotnet run</c>: where Swagger UI is and, on first start, the admin key.</summary>
internal static class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app, StartupReport report) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var baseUrl = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault();
            if (baseUrl is null) return; // in-memory test server: nothing to print

            baseUrl = baseUrl.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
            Console.WriteLine();
            Console.WriteLine("JourneyFeedback is running.");
            Console.WriteLine($"  Swagger UI:   {baseUrl}/swagger");
            Console.WriteLine($"  OpenAPI:      {baseUrl}/swagger/v1/swagger.json");
            Console.WriteLine($"  Database:     {report.DatabaseDescription}");
            if (report.SeededMaps > 0) Console.WriteLine($"  Demo:         seeded {report.SeededMaps} sample maps into the demo workspace");
            if (report.GeneratedAdminKey is not null)
            {
                Console.WriteLine($"  Admin API key (shown once, keep it): {report.GeneratedAdminKey}");
                Console.WriteLine("  Use it as 'Authorization: Bearer <key>' (Swagger UI: Authorize button).");
            }
            else
            {
                Console.WriteLine("  Admin API key: the one printed at first start, or Auth:BootstrapKey if configured.");
            }
            Console.WriteLine();
        });
}
