using Microsoft.Extensions.Caching.Memory;

namespace JourneyFeedback.Api.Surveys;

/// <summary>
/// The public link side keeps each survey in memory for a few seconds; an edit drops that entry, so this instance's
/// links show the change at once.
/// </summary>
internal static class SurveyLinkCache
{
    public static string Key(Guid surveyId) => "survey:" + surveyId;

    public static void Forget(IMemoryCache cache, Guid surveyId) => cache.Remove(Key(surveyId));
}
