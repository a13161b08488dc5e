using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

public sealed class SurveysTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private static async Task<JsonObject> CreateSurvey(HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("/api/surveys", body)).ReadJson(HttpStatusCode.Created);

    private static async Task<List<string>> Invite(HttpClient client, string surveyId, params object[] recipients)
    {
        var response = await client.PostAsJsonAsync($"/api/surveys/{surveyId}/invitations", new { recipients });
        var body = await response.ReadJson(response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Created);
        return body["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
    }

    private HttpClient Public() => app.CreateClient();

    private static Task<HttpResponseMessage> Answer(HttpClient client, string token, string json) =>
        client.PostAsync($"/s/{token}", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task NpsSurveyMeasuresATouchpointAndGetsADefaultQuestion()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"));
        var chat = map["stages"]![1]!["touchpoints"]![1]!;
        chat["name"]!.GetValue<string>().Should().Be("Live chat");

        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "Post-chat NPS", mapId = map["id"], touchpointId = chat["id"] });

        survey["question"]!.GetValue<string>().Should().Contain("recommend");
        survey["scale"]!["max"]!.GetValue<int>().Should().Be(10);
        survey["touchpointId"]!.GetValue<string>().Should().Be(chat["id"]!.GetValue<string>());
        survey["isOpen"]!.GetValue<bool>().Should().BeTrue();
        (await workspace.As("viewer").GetFromJsonAsync<JsonArray>("/api/surveys"))!.Should().ContainSingle();
    }

    [Theory]
    [InlineData("""{"type":"poll","name":"x"}""", "type")]
    [InlineData("""{"type":"nps"}""", "name")]
    [InlineData("""{"type":"attribution","name":"x"}""", "options")]
    [InlineData("""{"type":"attribution","name":"x","options":[{"label":"TV"},{"label":"tv"}]}""", "options[1].id")]
    [InlineData("""{"type":"attribution","name":"x","options":[{"label":"Other"}]}""", "options[0].id")]
    [InlineData("""{"type":"nps","name":"x","options":[{"label":"TV"}]}""", "options")]
    [InlineData("""{"type":"nps","name":"x","touchpointId":"6f9619ff-8b86-d011-b42d-00c04fc964ff"}""", "mapId")]
    [InlineData("""{"type":"nps","name":"x","invitationTtlHours":0}""", "invitationTtlHours")]
    public async Task InvalidSurveysNameTheField(string body, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var response = await workspace.As("author").PostAsync("/api/surveys", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldNameField(field);
    }

    [Fact]
    public async Task TouchpointOfAnotherWorkspaceIsRejected()
    {
        var other = await app.CreateWorkspaceAsync();
        var foreignMap = await SampleMaps.CreateAsync(other.As("author"));
        var workspace = await app.CreateWorkspaceAsync();
        var response = await workspace.As("author").PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "x", mapId = foreignMap["id"], touchpointId = foreignMap["stages"]![0]!["touchpoints"]![0]!["id"],
        });
        await response.ShouldNameField("mapId");
    }

    [Fact]
    public async Task InvitationsAreUnguessableSingleLinksAndIdempotentPerExternalRef()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "Post-chat" });
        var agent = workspace.As("agent");

        var first = await (await agent.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = new object[]
            {
                new { customerId = "c-1", externalRef = "chat-1", channel = "chat", metadata = new { agent = "Ola", team = "EMEA" } },
                new { customerId = "c-2", externalRef = "chat-2" },
                new { customerId = "c-1b", externalRef = "chat-1" }, // same chat twice in one call
                new { customerId = "c-3" },
            },
        })).ReadJson(HttpStatusCode.Created);

        first["created"]!.GetValue<int>().Should().Be(3);
        first["existing"]!.GetValue<int>().Should().Be(1);
        var invitations = first["invitations"]!.AsArray();
        var tokens = invitations.Select(i => i!["token"]!.GetValue<string>()).ToList();
        tokens[2].Should().Be(tokens[0]);
        tokens.Distinct().Should().HaveCount(3);
        // 54 URL-safe characters: the survey's id, then 192 random bits.
        tokens.Should().OnlyContain(t => t.Length == 54 && t.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')
            && SurveyLinkToken.SurveyOf(t) == Guid.Parse(survey["id"]!.GetValue<string>()));
        tokens.Select(t => t[22..]).Distinct().Should().HaveCount(3);
        invitations[0]!["url"]!.GetValue<string>().Should().EndWith($"/s/{tokens[0]}");
        invitations[0]!["metadata"]!["agent"]!.GetValue<string>().Should().Be("Ola");

        var again = await (await agent.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = new[] { new { externalRef = "chat-2" } },
        })).ReadJson(HttpStatusCode.OK);
        again["invitations"]![0]!["token"]!.GetValue<string>().Should().Be(tokens[1]);
        again["invitations"]![0]!["created"]!.GetValue<bool>().Should().BeFalse();
        (await app.WithDb(db => db.Invitations.CountAsync(i => i.SurveyId == Guid.Parse(survey["id"]!.GetValue<string>())))).Should().Be(3);
    }

    [Fact]
    public async Task MoreThanAThousandRecipientsIsRejected()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "csat", name = "CSAT" });
        var recipients = Enumerable.Range(0, 1001).Select(i => new { externalRef = $"t-{i}" }).ToArray();
        await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients })).ShouldNameField("recipients");
        var thousand = recipients.Take(1000).ToArray();
        var ok = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new { recipients = thousand })).ReadJson(HttpStatusCode.Created);
        ok["created"]!.GetValue<int>().Should().Be(1000);
    }

    [Fact]
    public async Task PublicLinkServesJsonAndAnAccessibleHtmlForm()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "How did we do?" });
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "chat-9" }))[0];

        var json = await (await Public().GetAsync($"/s/{token}")).ReadJson(HttpStatusCode.OK);
        json["type"]!.GetValue<string>().Should().Be("nps");
        json["scale"]!["min"]!.GetValue<int>().Should().Be(0);
        json.ContainsKey("id").Should().BeFalse("respondents see no internal ids");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{token}");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        var page = await Public().SendAsync(request);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("<html lang=\"en\">").And.Contain("name=\"viewport\"").And.Contain("<legend>");
        for (var score = 0; score <= 10; score++) html.Should().Contain($"name=\"score\" value=\"{score}\"");
        html.Should().Contain("<label class=\"block\" for=\"comment\">").And.NotContain("<script");
    }

    [Fact]
    public async Task ALinkAnswersOnceAndKeepsTheFirstAnswer()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "t-1" }))[0];

        var accepted = await (await Answer(Public(), token, """{"score":9,"comment":"Quick and kind"}""")).ReadJson(HttpStatusCode.Created);
        accepted["responseId"].Should().NotBeNull();
        await (await Answer(Public(), token, """{"score":0,"comment":"changed my mind"}""")).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await Answer(Public(), token, """{"score":11}""")).ShouldBeProblem(HttpStatusCode.Conflict); // the link's state before the answer's errors
        await (await Public().GetAsync($"/s/{token}")).ShouldBeProblem(HttpStatusCode.Conflict);

        var answers = await app.WithDb(db => db.SurveyAnswers.Where(a => a.SurveyId == Guid.Parse(survey["id"]!.GetValue<string>())).ToListAsync());
        answers.Should().ContainSingle().Which.Score.Should().Be(9);
    }

    [Fact]
    public async Task ConcurrentDoubleSubmitsStoreExactlyOneAnswer()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var tokens = await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "a" }, new { externalRef = "b" });

        var submits = Enumerable.Range(0, 40).Select(i => Answer(Public(), tokens[i % 2], $$"""{"score":{{i % 11}}}""")).ToList();
        var statuses = (await Task.WhenAll(submits)).Select(r => r.StatusCode).ToList();

        statuses.Count(s => s == HttpStatusCode.Created).Should().Be(2);
        statuses.Count(s => s == HttpStatusCode.Conflict).Should().Be(38);
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.SurveyId == Guid.Parse(survey["id"]!.GetValue<string>())))).Should().Be(2);
    }

    [Fact]
    public async Task UnknownExpiredAndClosedLinksAnswer404And410()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "csat", name = "CSAT" });
        var surveyId = survey["id"]!.GetValue<string>();
        var tokens = await Invite(workspace.As("agent"), surveyId, new { externalRef = "old" }, new { externalRef = "new" });

        // A token that differs in its first character (which may itself be an 'x').
        await (await Answer(Public(), (tokens[0][0] == 'x' ? "y" : "x") + tokens[0][1..], """{"score":5}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await Public().GetAsync("/s/short")).ShouldBeProblem(HttpStatusCode.NotFound);
        // This survey's id with random bits no link has: not found, and nothing about the survey is told.
        await (await Answer(Public(), SurveyLinkToken.New(Guid.Parse(surveyId)), """{"score":5}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await Answer(Public(), SurveyLinkToken.New(Guid.Parse(surveyId)), """{"score":77}""")).ShouldBeProblem(HttpStatusCode.NotFound);

        await app.WithDb(db => db.Invitations.Where(i => i.Token == tokens[0])
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        await (await Answer(Public(), tokens[0], """{"score":5}""")).ShouldBeProblem(HttpStatusCode.Gone);

        (await workspace.As("author").PatchAsJsonAsync($"/api/surveys/{surveyId}", new { isOpen = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        var closed = await (await Answer(Public(), tokens[1], """{"score":5}""")).ShouldBeProblem(HttpStatusCode.Gone);
        closed["title"]!.GetValue<string>().Should().Contain("closed");
        await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{surveyId}/invitations", new { recipients = new[] { new { externalRef = "x" } } }))
            .ShouldBeProblem(HttpStatusCode.Conflict);
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.SurveyId == Guid.Parse(surveyId)))).Should().Be(0);
    }

    [Fact]
    public async Task LinksMadeBeforeTokensNamedTheirSurveyStillAnswerOnce()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var surveyId = Guid.Parse(survey["id"]!.GetValue<string>());
        var token = (await Invite(workspace.As("agent"), surveyId.ToString(), new { customerId = "c-old", externalRef = "old-1" }))[0];
        var older = token[22..]; // 32 random characters, as links were made before
        await app.WithDb(db => db.Invitations.Where(i => i.Token == token).ExecuteUpdateAsync(s => s.SetProperty(i => i.Token, older)));

        await (await Answer(Public(), older, """{"score":11}""")).ShouldBeProblem((HttpStatusCode)422);
        await (await Answer(Public(), older, """{"score":3,"comment":"Slow reply"}""")).ReadJson(HttpStatusCode.Created);
        await (await Answer(Public(), older, """{"score":9}""")).ShouldBeProblem(HttpStatusCode.Conflict);

        var item = await app.WithDb(db => db.FeedbackItems.SingleAsync(f => f.SurveyId == surveyId));
        (item.Text, item.CustomerId, item.InvitationRef, item.Rating).Should().Be(("Slow reply", "c-old", "old-1", 3.0));
    }

    [Fact]
    public async Task ALinkWhoseTokenNamesAnotherSurveyIsNotFound()
    {
        // Never made by the API; guards the claim's check that the link belongs to the survey its answer was validated for.
        var workspace = await app.CreateWorkspaceAsync();
        var nps = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var csat = await CreateSurvey(workspace.As("author"), new { type = "csat", name = "CSAT" });
        var token = (await Invite(workspace.As("agent"), nps["id"]!.GetValue<string>(), new { externalRef = "n-1" }))[0];
        var forged = SurveyLinkToken.New(Guid.Parse(csat["id"]!.GetValue<string>()))[..22] + token[22..];
        await app.WithDb(db => db.Invitations.Where(i => i.Token == token).ExecuteUpdateAsync(s => s.SetProperty(i => i.Token, forged)));

        await (await Answer(Public(), forged, """{"score":5}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await Answer(Public(), forged, """{"score":9}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.WorkspaceId == workspace.Id))).Should().Be(0);
        (await app.WithDb(db => db.Invitations.CountAsync(i => i.Token == forged && i.AnsweredAt == null))).Should().Be(1);
    }

    [Theory]
    [InlineData("nps", """{"score":11}""", "score")]
    [InlineData("nps", """{"score":-1}""", "score")]
    [InlineData("nps", """{"score":9.5}""", "score")]
    [InlineData("nps", """{"score":"nine"}""", "score")]
    [InlineData("nps", """{"comment":"no score"}""", "score")]
    [InlineData("nps", """{"score":true}""", "score")]
    [InlineData("csat", """{"score":0}""", "score")]
    [InlineData("ces", """{"score":8}""", "score")]
    [InlineData("attribution", """{"optionId":"radio"}""", "optionId")]
    [InlineData("attribution", """{}""", "optionId")]
    [InlineData("attribution", """{"optionId":"other"}""", "otherText")]
    public async Task InvalidAnswersAre422NamingTheFieldAndKeepTheLinkUsable(string type, string body, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();
        object request = type == "attribution"
            ? new { type, name = "Where from?", options = new[] { new { label = "Google search" }, new { label = "Friend" } } }
            : new { type, name = "Survey" };
        var survey = await CreateSurvey(workspace.As("author"), request);
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "r" }))[0];

        await (await Answer(Public(), token, body)).ShouldNameField(field, HttpStatusCode.UnprocessableEntity);

        var valid = type == "attribution" ? """{"optionId":"friend"}""" : """{"score":4}""";
        (await Answer(Public(), token, valid)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task MalformedJsonAnswerIs400AndKeepsTheLinkUsable()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "r" }))[0];
        await (await Answer(Public(), token, """{"score":9""")).ShouldNameField("$");
        (await Answer(Public(), token, """{"score":9}""")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task PersonalDataInCommentsIsRedactedBeforeItIsStored()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "r" }))[0];
        (await Answer(Public(), token, """{"score":2,"comment":"Call me on +44 7700 900123 or write to a.b@example.com"}""")).StatusCode.Should().Be(HttpStatusCode.Created);

        var stored = await app.WithDb(db => db.SurveyAnswers.AsNoTracking().SingleAsync(a => a.SurveyId == Guid.Parse(survey["id"]!.GetValue<string>())));
        stored.Comment.Should().Be("Call me on [phone] or write to [email]");
        var item = await app.WithDb(db => db.FeedbackItems.AsNoTracking().SingleAsync(f => f.SurveyId == Guid.Parse(survey["id"]!.GetValue<string>())));
        item.Text.Should().Be("Call me on [phone] or write to [email]");
    }

    [Fact]
    public async Task CommentOver5000CharactersIs422()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "r" }))[0];
        var body = new JsonObject { ["score"] = 5, ["comment"] = new string('a', 5001) };
        await (await Answer(Public(), token, body.ToJsonString())).ShouldNameField("comment", HttpStatusCode.UnprocessableEntity);
        body["comment"] = new string('a', 5000);
        (await Answer(Public(), token, body.ToJsonString())).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task HtmlFormSubmitShowsAThankYouPageOrTheFormWithTheError()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "ces", name = "Effort" });
        var token = (await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), new { externalRef = "r" }))[0];

        var invalid = await Public().PostAsync($"/s/{token}", new FormUrlEncodedContent([new("comment", "forgot the score")]));
        invalid.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var errorPage = await invalid.Content.ReadAsStringAsync();
        errorPage.Should().Contain("role=\"alert\"").And.Contain("forgot the score", "what the respondent typed is kept");

        var valid = await Public().PostAsync($"/s/{token}", new FormUrlEncodedContent([new("score", "6"), new("comment", "Easy enough")]));
        valid.StatusCode.Should().Be(HttpStatusCode.Created);
        (await valid.Content.ReadAsStringAsync()).Should().Contain("Thank you");
    }

    [Fact]
    public async Task AStreamOfAnswersIsStoredOnceEachWithItsOwnInvitationsData()
    {
        // Many clients at once: the writer gathers them into shared commits, and each link is looked up on the kept-open
        // connections; every 201 must be its own answer, tied to its own invitation.
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "Stream" });
        var surveyId = Guid.Parse(survey["id"]!.GetValue<string>());
        var tokens = new List<string>();
        for (var start = 0; start < 400; start += 200)
            tokens.AddRange(await Invite(workspace.As("agent"), surveyId.ToString(),
                [.. Enumerable.Range(start, 200).Select(i => (object)new { externalRef = $"chat-{i}", customerId = $"c-{i}", metadata = new { agent = $"agent-{i % 7}" } })]));

        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<int, Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, tokens.Count), new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (i, _) =>
        {
            var response = await Answer(Public(), tokens[i], $$"""{"score":{{i % 11}},"comment":"answer number {{i}}"}""");
            accepted[i] = Guid.Parse((await response.ReadJson(HttpStatusCode.Created))["responseId"]!.GetValue<string>());
        });

        var stored = await app.WithDb(db => db.FeedbackItems.AsNoTracking().Where(f => f.SurveyId == surveyId)
            .Select(f => new { f.SurveyAnswerId, f.Text, f.InvitationRef, f.CustomerId, f.Metadata, f.Rating }).ToListAsync());
        stored.Should().HaveCount(tokens.Count);
        var byAnswer = stored.ToDictionary(s => s.SurveyAnswerId!.Value);
        foreach (var (i, responseId) in accepted)
        {
            var item = byAnswer[responseId];
            item.Text.Should().Be($"answer number {i}");
            item.InvitationRef.Should().Be($"chat-{i}");
            item.CustomerId.Should().Be($"c-{i}");
            item.Metadata.Should().Contain($"\"agent\":\"agent-{i % 7}\"");
            item.Rating.Should().Be(i % 11);
        }
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.SurveyId == surveyId))).Should().Be(tokens.Count);
    }

    [Fact]
    public async Task AnswersWithTextBecomeFeedbackItemsOnTheSurveysTouchpoint()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"));
        var chat = map["stages"]![1]!["touchpoints"]![1]!;
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "Post-chat", mapId = map["id"], touchpointId = chat["id"] });
        var tokens = await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(),
            new { customerId = "cust-42", externalRef = "chat-777", channel = "chat", metadata = new { agent = "Ola" } },
            new { customerId = "cust-43", externalRef = "chat-778" });

        (await Answer(Public(), tokens[0], """{"score":3,"comment":"Waited 20 minutes for an agent"}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Answer(Public(), tokens[1], """{"score":10}""")).StatusCode.Should().Be(HttpStatusCode.Created);

        var items = await app.WithDb(db => db.FeedbackItems.AsNoTracking().Where(f => f.WorkspaceId == workspace.Id).ToListAsync());
        var item = items.Should().ContainSingle("an answer without text is a score, not a quote").Subject;
        item.Kind.Should().Be("survey");
        item.Text.Should().Be("Waited 20 minutes for an agent");
        item.TouchpointId.Should().Be(Guid.Parse(chat["id"]!.GetValue<string>()));
        item.MapId.Should().Be(Guid.Parse(map["id"]!.GetValue<string>()));
        item.CustomerId.Should().Be("cust-42");
        item.InvitationRef.Should().Be("chat-777");
        item.Channel.Should().Be("chat");
        item.Rating.Should().Be(3);
        item.RatingScale.Should().Be(10);
        item.Metadata.Should().Contain("\"agent\":\"Ola\"");
        item.SurveyAnswerId.Should().NotBeNull();
        item.OccurredAt.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public async Task NpsResultsMatchHandComputedFiguresWithResponseRateGroupsAndTrend()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var surveyId = survey["id"]!.GetValue<string>();
        int[] scores = [10, 10, 9, 8, 7, 6, 0, 3, 10, 9];
        var recipients = Enumerable.Range(0, 12).Select(i => (object)new { externalRef = $"chat-{i}", metadata = new { agent = i < 6 ? "Ola" : "Piotr" } }).ToArray();
        var tokens = await Invite(workspace.As("agent"), surveyId, recipients);
        for (var i = 0; i < scores.Length; i++)
            (await Answer(Public(), tokens[i], $$"""{"score":{{scores[i]}}}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        // Spread the answers over two days so the trend has two points: the first four links' answers on the first day
        // (picked by their links: answers given within one millisecond have version-7 ids in no particular order).
        string[] firstDay = ["chat-0", "chat-1", "chat-2", "chat-3"];
        var early = await app.WithDb(db => db.Invitations.Where(i => i.SurveyId == Guid.Parse(surveyId) && firstDay.Contains(i.ExternalRef))
            .Select(i => i.Id).ToListAsync());
        await app.WithDb(db => db.SurveyAnswers.Where(a => a.SurveyId == Guid.Parse(surveyId) && early.Contains(a.InvitationId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.AnsweredAt, new DateTime(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc))));
        await app.WithDb(db => db.SurveyAnswers.Where(a => a.SurveyId == Guid.Parse(surveyId) && !early.Contains(a.InvitationId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.AnsweredAt, new DateTime(2026, 11, 3, 10, 0, 0, DateTimeKind.Utc))));

        var results = await (await workspace.As("viewer").GetAsync($"/api/surveys/{surveyId}/results?interval=day&groupBy=agent")).ReadJson(HttpStatusCode.OK);

        results["invited"]!.GetValue<int>().Should().Be(12);
        results["answered"]!.GetValue<int>().Should().Be(10);
        results["responseRate"]!.GetValue<double>().Should().Be(0.8333);
        var nps = results["overall"]!["nps"]!;
        nps["score"]!.GetValue<double>().Should().Be(20);
        nps["marginOfError"]!.GetValue<double>().Should().Be(54.03);
        nps["promoters"]!.GetValue<int>().Should().Be(5);
        nps["lowSample"]!.GetValue<bool>().Should().BeTrue();

        var trend = results["trend"]!.AsArray();
        trend.Select(t => t!["periodStart"]!.GetValue<DateTime>().Day).Should().Equal(2, 3);
        // Day 1: 10, 10, 9, 8 → 3 promoters of 4 → NPS 75.
        trend[0]!["metrics"]!["nps"]!["score"]!.GetValue<double>().Should().Be(75);
        trend[1]!["metrics"]!["responses"]!.GetValue<int>().Should().Be(6);

        var groups = results["groups"]!.AsArray();
        groups.Select(g => g!["value"]!.GetValue<string>()).Should().Equal("Ola", "Piotr");
        // Ola: 10, 10, 9, 8, 7, 6 → 3 promoters, 1 detractor of 6 → 33.33; Piotr: 0, 3, 10, 9 of 6 invited.
        groups[0]!["metrics"]!["nps"]!["score"]!.GetValue<double>().Should().Be(33.33);
        groups[1]!["invited"]!.GetValue<int>().Should().Be(6);
        groups[1]!["answered"]!.GetValue<int>().Should().Be(4);
        groups[1]!["metrics"]!["nps"]!["score"]!.GetValue<double>().Should().Be(0);

        var window = await (await workspace.As("viewer").GetAsync($"/api/surveys/{surveyId}/results?from=2026-11-03&to=2026-11-03")).ReadJson(HttpStatusCode.OK);
        window["overall"]!["responses"]!.GetValue<int>().Should().Be(6, "'to' as a date includes that whole day");
    }

    [Fact]
    public async Task AttributionResultsShareOptionsAndGroupOtherAnswersLinkedToTouchpoints()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var awareness = map["stages"]![0]!["touchpoints"]!.AsArray();
        var search = awareness.Single(t => t!["name"]!.GetValue<string>() == "Search results")!["id"]!.GetValue<string>();
        var social = awareness.Single(t => t!["name"]!.GetValue<string>() == "Social media")!["id"]!.GetValue<string>();
        var survey = await CreateSurvey(workspace.As("author"), new
        {
            type = "attribution",
            name = "Where did you hear about us?",
            options = new object[] { new { label = "Google search", touchpointId = search }, new { label = "Instagram", touchpointId = social }, new { label = "Friend" } },
        });
        var answers = new[]
        {
            """{"optionId":"google-search"}""", """{"optionId":"google-search"}""", """{"optionId":"instagram"}""",
            """{"optionId":"friend"}""", """{"otherText":"Googled it"}""", """{"optionId":"other","otherText":" google  "}""",
            """{"otherText":"Podcast ad"}""", """{"otherText":"podcasts"}""",
        };
        var tokens = await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), answers.Select((_, i) => (object)new { externalRef = $"r{i}" }).ToArray());
        for (var i = 0; i < answers.Length; i++) (await Answer(Public(), tokens[i], answers[i])).StatusCode.Should().Be(HttpStatusCode.Created);

        var results = await (await workspace.As("viewer").GetAsync($"/api/surveys/{survey["id"]}/results")).ReadJson(HttpStatusCode.OK);
        var attribution = results["overall"]!["attribution"]!;
        attribution["responses"]!.GetValue<int>().Should().Be(8);
        var google = attribution["options"]!.AsArray().Single(o => o!["id"]!.GetValue<string>() == "google-search")!;
        google["share"]!["count"]!.GetValue<int>().Should().Be(2);
        google["share"]!["percent"]!.GetValue<double>().Should().Be(25);
        google["share"]!["ci95"]!["low"]!.GetValue<double>().Should().BeLessThan(25);
        google["touchpointId"]!.GetValue<string>().Should().Be(search);
        attribution["options"]!.AsArray().Single(o => o!["id"]!.GetValue<string>() == "other")!["share"]!["count"]!.GetValue<int>().Should().Be(4);

        var other = attribution["other"]!.AsArray();
        other.Select(o => o!["answer"]!.GetValue<string>()).Should().Equal("google", "podcast");
        other[0]!["count"]!.GetValue<int>().Should().Be(2);
        other[0]!["matchedOptionId"]!.GetValue<string>().Should().Be("google-search");
        other[0]!["touchpointId"]!.GetValue<string>().Should().Be(search);
        other[1]!["touchpointId"].Should().BeNull();
        other[1]!["examples"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task CsatAndCesResultsUseTheirOwnScales()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var csat = await CreateSurvey(workspace.As("author"), new { type = "csat", name = "CSAT" });
        var ces = await CreateSurvey(workspace.As("author"), new { type = "ces", name = "CES" });
        async Task AnswerAll(JsonObject survey, int[] scores)
        {
            var tokens = await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(), scores.Select((_, i) => (object)new { externalRef = $"r{i}" }).ToArray());
            for (var i = 0; i < scores.Length; i++) (await Answer(Public(), tokens[i], $$"""{"score":{{scores[i]}}}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        await AnswerAll(csat, [5, 4, 3, 1, 4]);
        await AnswerAll(ces, [7, 6, 5, 7, 4]);

        var csatResult = await (await workspace.As("viewer").GetAsync($"/api/surveys/{csat["id"]}/results")).ReadJson(HttpStatusCode.OK);
        csatResult["overall"]!["csat"]!["percent"]!.GetValue<double>().Should().Be(60);
        csatResult["overall"]!["csat"]!["ci95"]!["low"]!.GetValue<double>().Should().Be(23.07);
        var cesResult = await (await workspace.As("viewer").GetAsync($"/api/surveys/{ces["id"]}/results")).ReadJson(HttpStatusCode.OK);
        cesResult["overall"]!["ces"]!["mean"]!.GetValue<double>().Should().Be(5.8);
        cesResult["overall"]!["ces"]!["ci95"]!["high"]!.GetValue<double>().Should().Be(7.419);
    }

    [Theory]
    [InlineData("interval=hour", "interval")]
    [InlineData("from=2026-11-05&to=2026-11-01", "to")]
    public async Task InvalidResultQueriesNameTheParameter(string query, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        await (await workspace.As("viewer").GetAsync($"/api/surveys/{survey["id"]}/results?{query}")).ShouldNameField(field);
    }

    [Fact]
    public async Task CsvExportOpensInExcelAndNeutralisesFormulas()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await CreateSurvey(workspace.As("author"), new { type = "nps", name = "NPS" });
        var tokens = await Invite(workspace.As("agent"), survey["id"]!.GetValue<string>(),
            new { customerId = "=cmd|' /C calc'!A0", externalRef = "chat-1", metadata = new { agent = "@Ola" } },
            new { customerId = "c-2", externalRef = "chat-2", metadata = new { team = "Łódź; \"West\"" } });
        await Answer(Public(), tokens[0], """{"score":2,"comment":"=HYPERLINK(\"http://evil\",\"click\")"}""");
        await Answer(Public(), tokens[1], """{"score":10,"comment":"-5 stars?\nNo: +5! Zażółć gęślą jaźń"}""");

        var response = await workspace.As("viewer").GetAsync($"/api/surveys/{survey["id"]}/responses.csv");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF });
        var csv = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        csv.Should().StartWith("response_id,answered_at,score,option_id,option_label,other_text,comment,customer_id,external_ref,channel,invited_at,meta_agent,meta_team");
        csv.Should().Contain("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"");
        csv.Should().Contain("'=cmd|");
        csv.Should().Contain("'@Ola");
        csv.Should().Contain("\"'-5 stars?\nNo: +5! Zażółć gęślą jaźń\"");
        csv.Should().Contain("\"Łódź; \"\"West\"\"\"");
        csv.Should().NotContain(",=").And.NotContain(",@").And.NotContain(",+").And.NotContain(",-");
    }
}

public sealed class PublicRateLimitTests : IDisposable
{
    private readonly ConfiguredApp _app = new(new Dictionary<string, string?> { ["RateLimits:Public:PermitLimit"] = "3" });

    [Fact]
    public async Task PublicLinksAreRateLimitedPerAddressWith429AndRetryAfter()
    {
        var client = _app.CreateClient();
        for (var i = 0; i < 3; i++) (await client.GetAsync($"/s/guess-{i}-aaaaaaaaaaaaaaaaaaaaaaaa")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var limited = await client.GetAsync("/s/guess-4-aaaaaaaaaaaaaaaaaaaaaaaa");
        await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        (await _app.BootstrapClient().GetAsync("/api/surveys")).StatusCode.Should().Be(HttpStatusCode.OK, "the API budget is separate");
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>
/// PostgreSQL with a pool far smaller than the burst: requests queue for connections, and a queue that waits without
/// holding threads drains; every answer is stored (once, a 201), none times out into a 503.
/// </summary>
public sealed class SurveyAnswerBurstTests : IDisposable
{
    private readonly TestDatabase? _database;
    private readonly ConfiguredApp? _app;

    public SurveyAnswerBurstTests()
    {
        if (!TestDatabase.UsesPostgres) return; // the test is skipped
        _database = TestDatabase.Create();
        _app = new ConfiguredApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = _database.ConnectionString + ";Maximum Pool Size=4;Timeout=10",
        }, _database);
    }

    [PostgresFact]
    public async Task ABurstOfAnswersWaitsForPooledConnectionsWithoutTimingOut()
    {
        var app = _app!;
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Burst" })).ReadJson(HttpStatusCode.Created);
        var surveyId = survey["id"]!.GetValue<Guid>();
        var invited = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{surveyId}/invitations",
            new { recipients = Enumerable.Range(0, 300).Select(i => new { customerId = $"c-{i}" }) })).ReadJson(HttpStatusCode.Created);
        var tokens = invited["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();

        using var client = app.CreateClient();
        var answered = await Task.WhenAll(tokens.Select(token => client.PostAsJsonAsync($"/s/{token}", new { score = 3, comment = "Slow chat." })));

        answered.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        (await app.WithDb(db => db.SurveyAnswers.CountAsync(a => a.SurveyId == surveyId))).Should().Be(tokens.Count);
    }

    public void Dispose()
    {
        _app?.Dispose();
        _database?.Dispose();
    }
}

/// <summary>
/// What a map-tied answer costs the map's evidence version (docs/insights.md): the answer writer stamps each item with the
/// map's next change version read in its transaction, so the insert trigger moves the map once per item and no trigger
/// rewrites the row. The background analysis (which changes the items again) sleeps through the test.
/// </summary>
public sealed class SurveyAnswerEvidenceVersionTests : IDisposable
{
    private readonly ConfiguredApp _app = new(new Dictionary<string, string?> { ["Analysis:WorkerPollSeconds"] = "3600" });

    [Fact]
    public async Task AnswersOnAMapMoveItsEvidenceVersionOncePerItemAndCarryAVersionNoReaderHasSeen()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<Guid>();
        var touchpointId = map["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys",
            new { type = "nps", name = "Post-chat", mapId, touchpointId })).ReadJson(HttpStatusCode.Created);
        var invited = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = Enumerable.Range(0, 12).Select(i => new { externalRef = $"chat-{i}" }) })).ReadJson(HttpStatusCode.Created);
        var tokens = invited["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
        var before = await EvidenceVersion(mapId);

        // Together, so that the writer stores several in one batch; the last three carry no text (no item).
        using var client = _app.CreateClient();
        var answered = await Task.WhenAll(tokens.Select((token, i) => client.PostAsync($"/s/{token}", new StringContent(
            i < 9 ? $$"""{"score":{{i}},"comment":"The agent answered question {{i}} quickly."}""" : $$"""{"score":{{i - 3}}}""",
            Encoding.UTF8, "application/json"))));
        answered.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);

        var after = await EvidenceVersion(mapId);
        var stamps = await _app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == mapId).Select(f => f.ChangeVersion).ToListAsync());
        stamps.Should().HaveCount(9);
        after.Should().Be(before + 9, "each item on the map moves its version once");
        stamps.Should().OnlyContain(v => v > before && v <= after, "a reader that saw the map before the answers reads every item, and the map's version shows it");
    }

    private Task<long> EvidenceVersion(Guid mapId) =>
        _app.WithDb(db => db.Maps.Where(m => m.Id == mapId).Select(m => m.EvidenceVersion).FirstAsync());

    public void Dispose() => _app.Dispose();
}
