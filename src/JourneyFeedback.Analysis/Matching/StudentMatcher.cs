namespace JourneyFeedback.Analysis.Matching;

/// <summary>What the semantic tier (the teacher) decided for one text it embedded: a touchpoint, or null for the inbox.</summary>
public sealed record TeacherLabel(string Text, Guid? TouchpointId);

/// <summary>
/// Teacher and student: the lexical <see cref="TouchpointMatcher"/> learns from the author's confirmations and from
/// the semantic tier's decisions on the items it embedded — its placements as examples of their touchpoints, and what
/// it left in the inbox as examples of "no touchpoint" — then places every other row of the map at n-gram speed.
/// Its threshold is chosen per map from the teacher too: a student fitted on half of the teacher's decisions is scored
/// on the other half, and the lowest threshold at which its placements agree with the teacher at least
/// <c>targetAgreement</c> of the time is kept. Without the inbox's lesson, a student placed off-topic rows the teacher
/// had left out (measured on varied support text: 2% inbox where the teacher kept 87% out).
/// </summary>
public static class StudentMatcher
{
    private const int MinimumToCalibrate = 40;

    public static TouchpointMatcher Train(IReadOnlyList<TouchpointDescriptor> touchpoints, IReadOnlyList<MatchExample> confirmed,
        IReadOnlyList<TeacherLabel> teacher, double teacherWeight, double minThreshold, double targetAgreement = 0.9)
    {
        var threshold = teacher.Count >= MinimumToCalibrate
            ? ChooseThreshold(touchpoints, confirmed, teacher, teacherWeight, minThreshold, targetAgreement)
            : minThreshold;
        return new TouchpointMatcher(touchpoints, confirmed.Concat(Examples(teacher, teacherWeight)), threshold, OffTopic(teacher, teacherWeight));
    }

    internal static double ChooseThreshold(IReadOnlyList<TouchpointDescriptor> touchpoints, IReadOnlyList<MatchExample> confirmed,
        IReadOnlyList<TeacherLabel> teacher, double teacherWeight, double minThreshold, double targetAgreement)
    {
        var fit = teacher.Where((_, i) => i % 2 == 0).ToList();
        var check = teacher.Where((_, i) => i % 2 == 1).ToList();
        var half = new TouchpointMatcher(touchpoints, confirmed.Concat(Examples(fit, teacherWeight)), threshold: 0, OffTopic(fit, teacherWeight));
        var scored = check.Select(t => (Label: t.TouchpointId, Match: half.Match(new MatchInput(t.Text)))).ToList();
        for (var threshold = minThreshold; threshold < 0.95; threshold += 0.05)
        {
            var placed = scored.Where(s => s.Match.TouchpointId is not null && s.Match.Confidence >= threshold).ToList();
            if (placed.Count == 0) return threshold;
            var agree = placed.Count(s => s.Label is { } label && s.Match.BestGuess == label);
            if (agree >= targetAgreement * placed.Count) return Math.Round(threshold, 2);
        }
        return 0.95;
    }

    private static List<MatchExample> OffTopic(IEnumerable<TeacherLabel> teacher, double weight) =>
        teacher.Where(t => t.TouchpointId is null).Select(t => new MatchExample(Guid.Empty, t.Text, weight)).ToList();

    private static IEnumerable<MatchExample> Examples(IEnumerable<TeacherLabel> teacher, double weight) =>
        teacher.Where(t => t.TouchpointId is not null).Select(t => new MatchExample(t.TouchpointId!.Value, t.Text, weight));
}
