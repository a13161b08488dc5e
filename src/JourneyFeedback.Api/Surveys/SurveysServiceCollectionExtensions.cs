namespace JourneyFeedback.Api.Surveys;

internal static class SurveysServiceCollectionExtensions
{
    public static IServiceCollection AddSurveys(this IServiceCollection services)
    {
        services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section);
        services.AddMemoryCache();
        services.AddSingleton<InvitationLookup>();
        services.AddSingleton<SurveyAnswerWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<SurveyAnswerWriter>());
        return services;
    }
}
