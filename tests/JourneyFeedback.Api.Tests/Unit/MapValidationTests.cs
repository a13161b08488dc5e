using JourneyFeedback.Api.Maps;

namespace JourneyFeedback.Api.Tests.Unit;

public sealed class MapValidationTests
{
    [Fact]
    public void ValidMapHasNoErrors()
    {
        var map = new MapDocument("Map", Template: "service-blueprint", Stages:
        [
            new StageDocument("Buy", new LanesDocument(Actions: ["Pays"]), [new TouchpointDocument("Checkout", Phase: "purchase")]),
            new StageDocument("Use", Touchpoints: [new TouchpointDocument("Checkout")]), // same name in another stage is fine
        ]);
        MapValidation.Validate(map).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void ErrorsAreKeyedByJsonPath()
    {
        var map = new MapDocument("", Template: "x", Stages:
        [
            new StageDocument("A", new LanesDocument(PainPoints: [new string('p', MapRules.MaxLaneEntryLength + 1)])),
            new StageDocument("a"),
        ]);
        var errors = MapValidation.Validate(map).ToDictionary();
        errors.Keys.Should().BeEquivalentTo("name", "template", "stages[0].lanes.painPoints[0]", "stages[1].name");
    }

    [Fact]
    public void TooManyStagesIsAnError()
    {
        var stages = Enumerable.Range(0, MapRules.MaxStages + 1).Select(i => new StageDocument($"S{i}")).ToList();
        MapValidation.Validate(new MapDocument("M", Stages: stages)).ToDictionary().Should().ContainKey("stages");
    }

    [Fact]
    public void NewMapTrimsTextDropsBlankEntriesAndDefaultsTheTemplate()
    {
        var document = new MapDocument("  Map  ", Stages:
            [new StageDocument(" Buy ", new LanesDocument(Questions: ["  ", " Why? "]), [new TouchpointDocument(" Chat ", Keywords: ["a", "A", " "])])]);
        var map = document.ToNewMap(Guid.NewGuid());

        map.Name.Should().Be("Map");
        map.Template.Should().Be(MapRules.DefaultTemplate);
        map.Stages[0].Name.Should().Be("Buy");
        map.Stages[0].Lanes.Questions.Should().Equal("Why?");
        map.Stages[0].Touchpoints[0].Keywords.Should().Equal("a");
        map.Stages[0].Touchpoints[0].StageId.Should().Be(map.Stages[0].Id);
        map.Stages[0].Touchpoints[0].MapId.Should().Be(map.Id);
    }
}
