using JourneyFeedback.Analysis.Matching;

namespace JourneyFeedback.Analysis.Tests;

public sealed class StudentMatcherTests
{
    private static readonly TouchpointDescriptor Delivery = new(Guid.NewGuid(), "Delivery", Description: "Courier delivery of the order");
    private static readonly TouchpointDescriptor Payment = new(Guid.NewGuid(), "Payment", Description: "Paying for the order at checkout");

    private static readonly string[] Late = ["parcel", "courier", "box", "package", "order"];
    private static readonly string[] Things = ["headphones", "kettle", "jacket", "lamp", "blender", "backpack", "toaster", "scarf"];

    // The teacher placed delivery and payment complaints and left product praise (no touchpoint of this map) in the inbox.
    private static List<TeacherLabel> Teacher()
    {
        var labels = new List<TeacherLabel>();
        for (var i = 0; i < 40; i++)
        {
            labels.Add(new($"the {Late[i % Late.Length]} arrived {i % 7 + 2} days late again", Delivery.Id));
            labels.Add(new($"my card was declined twice when paying, attempt {i}", Payment.Id));
            labels.Add(new($"lovely {Things[i % Things.Length]}, great quality, I would order it again {i}", null));
        }
        return labels;
    }

    [Fact]
    public void TheStudentKeepsWhatTheTeacherLeftInTheInboxOutOfTheMap()
    {
        const string offTopic = "great quality toaster, I would order another one";
        var naive = new TouchpointMatcher([Delivery, Payment],
            Teacher().Where(t => t.TouchpointId is not null).Select(t => new MatchExample(t.TouchpointId!.Value, t.Text, 0.5)));
        naive.Match(new MatchInput(offTopic)).TouchpointId.Should().NotBeNull("the premise: a student that never saw the inbox places anything");

        var student = StudentMatcher.Train([Delivery, Payment], [], Teacher(), teacherWeight: 0.5, minThreshold: TouchpointMatcher.DefaultThreshold);
        var kept = student.Match(new MatchInput(offTopic));
        kept.TouchpointId.Should().BeNull("the teacher taught it what belongs nowhere");
        new Guid?[] { Delivery.Id, Payment.Id }.Should().Contain(kept.BestGuess, "the inbox still shows a real touchpoint as the guess");
        student.Touchpoints.Should().HaveCount(2, "\"no touchpoint\" is not a touchpoint");
        student.Match(new MatchInput("the courier brought my parcel a week late")).TouchpointId.Should().Be(Delivery.Id);
        student.Match(new MatchInput("card declined when paying for the order")).TouchpointId.Should().Be(Payment.Id);
    }

    [Fact]
    public void WithoutInboxDecisionsTheThresholdStaysAtItsFloor()
    {
        var placedOnly = Teacher().Where(t => t.TouchpointId is not null).ToList();
        StudentMatcher.Train([Delivery, Payment], [], placedOnly, 0.5, TouchpointMatcher.DefaultThreshold).Threshold
            .Should().Be(TouchpointMatcher.DefaultThreshold, "every placement agrees with the teacher already");
    }

    [Fact]
    public void TheThresholdRisesUntilThePlacementsAgreeWithTheTeacher()
    {
        // Half of the delivery-sounding texts were left in the inbox by the teacher: no low threshold can agree with it.
        var teacher = Enumerable.Range(0, 80).Select(i => new TeacherLabel($"the {Late[i % Late.Length]} arrived late, case {i}",
            i % 2 == 0 ? Delivery.Id : null)).Concat(Teacher().Where(t => t.TouchpointId == Payment.Id)).ToList();
        var threshold = StudentMatcher.ChooseThreshold([Delivery, Payment], [], teacher, 0.5, TouchpointMatcher.DefaultThreshold, 0.9);
        threshold.Should().BeGreaterThan(TouchpointMatcher.DefaultThreshold);
    }
}
