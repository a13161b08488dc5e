using Microsoft.AspNetCore.Authentication;

namespace JourneyFeedback.Api.Auth;

internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        // Admins may do everything inside their own workspace; the other roles get what their job needs.
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.ManageKeys, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.ManageWebhooks, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.EditMaps, p => p.RequireRole(Roles.Admin, Roles.Author))
            .AddPolicy(Policies.EditSegments, p => p.RequireRole(Roles.Admin, Roles.Author, Roles.Researcher))
            .AddPolicy(Policies.EditSurveys, p => p.RequireRole(Roles.Admin, Roles.Author))
            .AddPolicy(Policies.SendInvitations, p => p.RequireRole(Roles.Admin, Roles.Author, Roles.Agent))
            .AddPolicy(Policies.RunImports, p => p.RequireRole(Roles.Admin, Roles.Author, Roles.Researcher))
            .AddPolicy(Policies.InstanceAdmin, p => p.RequireClaim(ApiClaims.InstanceAdmin, "true"));
        return services;
    }
}
