using JourneyFeedback.Analysis.Emotions;
using JourneyFeedback.Analysis.PainPoints;
using JourneyFeedback.Api.Maps;

namespace JourneyFeedback.Api.Insights;

/// <summary>A stored lane suggestion as the API shows it, with how much of the map's evidence backs it today.</summary>
internal static class SuggestionMapping
{
    public static SuggestionResponse ToResponse(LaneSuggestion s, JourneyMap map, MapEvidence e) => new(
        s.Id, s.StageId, map.Stages.FirstOrDefault(st => st.Id == s.StageId)?.Name ?? "", s.Lane, s.Text, s.EvidenceCount,
        CurrentCount(s, map, e), s.Status, s.TouchpointId, s.PainPoint, s.Emotion, s.Phrase, s.CreatedAt, s.DecidedAt, s.ThemeId);

    /// <summary>How many items back the entry now: its basis counted again over all of the map's current evidence.</summary>
    private static int CurrentCount(LaneSuggestion s, JourneyMap map, MapEvidence e)
    {
        var stage = map.Stages.FirstOrDefault(st => st.Id == s.StageId);
        var touchpoints = (s.TouchpointId is { } single ? [single] : stage?.Touchpoints.Select(t => t.Id) ?? [])
            .Select(t => Array.IndexOf(e.TouchpointIds, t)).Where(i => i >= 0).ToHashSet();
        var none = MapEvidence.PainPointIndex(PainPointTaxonomy.None);
        var category = s.PainPoint is null ? -1 : MapEvidence.PainPointIndex(s.PainPoint);
        var emotionBit = s.Emotion is null ? -1 : EmotionLabels.All.Select(l => l.Name).ToList().IndexOf(s.Emotion);
        var phrase = s.Phrase is null ? -1 : Array.IndexOf(e.Phrases, s.Phrase);
        // A theme found by meaning is counted by its members while it exists; gone, its category stands in.
        var stored = s.ThemeId is { } themeId ? Array.FindIndex(e.StoredThemes, t => t.Id == themeId) : -1;
        var themeKey = stored < 0 ? -1 : e.FirstStoredThemeKey + stored;
        var count = 0;
        for (var i = 0; i < e.Count; i++)
        {
            if (!touchpoints.Contains(e.Touchpoint[i])) continue;
            var counts = s.Lane switch
            {
                "painPoints" => themeKey >= 0 ? e.Theme[i] == themeKey : InsightsCalculator.IsPainPoint(e, i, none) && e.PainPoint[i] == category,
                "emotions" => emotionBit >= 0 && (e.Emotions[i] & (1 << emotionBit)) != 0,
                _ => e.IsQuestion[i] && phrase >= 0 && (e.Phrase1[i] == phrase || e.Phrase2[i] == phrase || e.Phrase3[i] == phrase),
            };
            if (counts) count++;
        }
        return count;
    }
}
