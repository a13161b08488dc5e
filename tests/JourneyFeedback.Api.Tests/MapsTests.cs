using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;

namespace JourneyFeedback.Api.Tests;

public sealed class MapsTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private async Task<HttpClient> Author() => (await app.CreateWorkspaceAsync()).As("author");

    [Fact]
    public async Task CreateReturnsIdsOfEveryStageAndTouchpointAndAnETag()
    {
        var client = await Author();
        var response = await client.PostAsJsonAsync("/api/maps", SampleMaps.Ecommerce());

        var map = await response.ReadJson(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().Be($"/api/maps/{map["id"]}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        var stages = map["stages"]!.AsArray();
        stages.Select(s => s!["name"]!.GetValue<string>()).Should()
            .Equal("Awareness", "Interest", "Consideration", "Purchase", "Loyalty", "Advocacy");
        stages.Should().OnlyContain(s => Guid.Parse(s!["id"]!.GetValue<string>()) != Guid.Empty);
        var touchpoints = stages.SelectMany(s => s!["touchpoints"]!.AsArray()).ToList();
        touchpoints.Should().HaveCountGreaterThan(15).And.OnlyContain(t => t!["id"] != null && t["stageId"] != null);
        map["persona"]!["demographics"]!["location"]!.GetValue<string>().Should().Be("Manchester, UK");
        stages[0]!["lanes"]!["opportunities"]![0]!.GetValue<string>().Should().Be("Referral offer for club members");
    }

    [Fact]
    public async Task GetListAndDeleteAMap()
    {
        var client = await Author();
        var created = await SampleMaps.CreateAsync(client);
        var id = created["id"]!.GetValue<string>();

        var fetched = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        fetched.ToJsonString().Should().Be(created.ToJsonString());

        var list = (await client.GetFromJsonAsync<JsonArray>("/api/maps"))!;
        list.Should().ContainSingle();
        list[0]!["stageCount"]!.GetValue<int>().Should().Be(2);
        list[0]!["touchpointCount"]!.GetValue<int>().Should().Be(3);

        (await client.DeleteAsync($"/api/maps/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/maps/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await client.GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task ExportedDocumentCanBePostedBackAsAnEqualMap()
    {
        var client = await Author();
        var original = await SampleMaps.CreateAsync(client, SampleMaps.Ecommerce());

        var export = await (await client.GetAsync($"/api/maps/{original["id"]}/export?format=json")).ReadJson(HttpStatusCode.OK);
        export.ContainsKey("id").Should().BeFalse("an export is a document for creating a map, not a reference to this one");
        var copy = await SampleMaps.CreateAsync(client, export);
        var copyExport = await (await client.GetAsync($"/api/maps/{copy["id"]}/export")).ReadJson(HttpStatusCode.OK);

        copy["id"]!.GetValue<string>().Should().NotBe(original["id"]!.GetValue<string>());
        export["evidence"].Should().NotBeNull("the export carries the map's evidence, which POST ignores");
        export.Remove("evidence");
        copyExport.Remove("evidence");
        copyExport.ToJsonString().Should().Be(export.ToJsonString());
        JsonNode.DeepEquals(export["persona"], SampleMaps.Ecommerce()["persona"]).Should().BeTrue();
    }

    [Fact]
    public async Task UnknownExportFormatIsABadRequestNamingFormat()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        await (await client.GetAsync($"/api/maps/{map["id"]}/export?format=pdf")).ShouldNameField("format");
    }

    [Fact]
    public async Task ExportAcceptsMdForMarkdownAndPicksTheFormatFromAcceptWhenNoneIsGiven()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var export = $"/api/maps/{map["id"]}/export";

        async Task<HttpResponseMessage> Get(string url, string? accept = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
            var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return response;
        }

        var md = await Get($"{export}?format=md");
        md.Content.Headers.ContentType!.MediaType.Should().Be("text/markdown");
        (await md.Content.ReadAsStringAsync()).Should().StartWith("# Checkout journey");
        (await (await Get($"{export}?format=MD")).Content.ReadAsStringAsync()).Should().Be(await (await Get($"{export}?format=markdown")).Content.ReadAsStringAsync());

        (await Get(export, "text/markdown")).Content.Headers.ContentType!.MediaType.Should().Be("text/markdown");
        var csv = await Get(export, "text/csv");
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        csv.Headers.Vary.Should().Contain("Accept");
        (await Get(export, "application/json")).Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await Get(export, "text/markdown;q=0.5, text/csv")).Content.Headers.ContentType!.MediaType.Should().Be("text/csv", "the higher quality wins");
        (await Get(export, "text/html, */*;q=0.8")).Content.Headers.ContentType!.MediaType.Should().Be("application/json", "a browser's Accept gets the default");
        (await Get(export)).Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await Get($"{export}?format=csv", "application/json")).Content.Headers.ContentType!.MediaType.Should().Be("text/csv", "format wins over Accept");

        var notAcceptable = new HttpRequestMessage(HttpMethod.Get, export);
        notAcceptable.Headers.TryAddWithoutValidation("Accept", "application/pdf");
        var problem = await (await client.SendAsync(notAcceptable)).ShouldBeProblem(HttpStatusCode.NotAcceptable);
        problem["detail"]!.GetValue<string>().Should().Contain("text/markdown");
    }

    [Fact]
    public async Task UpdateKeepsIdsOfStagesAndTouchpointsSentBackAndBumpsTheVersion()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();
        var purchase = map["stages"]![1]!.AsObject();
        var checkoutId = purchase["touchpoints"]![0]!["id"]!.GetValue<string>();
        var chatId = purchase["touchpoints"]![1]!["id"]!.GetValue<string>();

        // Rename the map, drop "Consideration", move Live chat into a new first stage, keep Checkout.
        var update = JsonNode.Parse($$"""
            {
              "name": "Checkout journey v2", "template": "future-state",
              "stages": [
                { "name": "Support", "touchpoints": [ { "id": "{{chatId}}", "name": "Live chat", "channel": "chat" } ] },
                { "id": "{{purchase["id"]}}", "name": "Buying", "lanes": { "painPoints": ["Slow 3-D Secure"] },
                  "touchpoints": [ { "id": "{{checkoutId}}", "name": "Checkout", "channel": "checkout", "keywords": ["pay"] },
                                   { "name": "Receipt e-mail", "channel": "email" } ] }
              ]
            }
            """)!;
        var response = await client.PutJson($"/api/maps/{id}", update, ifMatch: "\"1\"");

        var updated = await response.ReadJson(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        updated["version"]!.GetValue<int>().Should().Be(2);
        updated["template"]!.GetValue<string>().Should().Be("future-state");
        var stages = updated["stages"]!.AsArray();
        stages.Select(s => s!["name"]!.GetValue<string>()).Should().Equal("Support", "Buying");
        stages[1]!["id"]!.GetValue<string>().Should().Be(purchase["id"]!.GetValue<string>());
        stages[0]!["touchpoints"]![0]!["id"]!.GetValue<string>().Should().Be(chatId);
        stages[0]!["touchpoints"]![0]!["stageId"]!.GetValue<string>().Should().Be(stages[0]!["id"]!.GetValue<string>());
        stages[1]!["touchpoints"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("Checkout", "Receipt e-mail");
        stages[1]!["touchpoints"]![0]!["id"]!.GetValue<string>().Should().Be(checkoutId);

        var stored = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        stored.ToJsonString().Should().Be(updated.ToJsonString());
        var touchpointRows = await app.WithDb(db => Task.FromResult(db.Touchpoints.Count(t => t.MapId == Guid.Parse(id))));
        touchpointRows.Should().Be(3, "the Website touchpoint of the dropped stage is deleted with it");
    }

    [Fact]
    public async Task StaleIfMatchGets412AndChangesNothing()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();
        var first = SampleMaps.Small("First writer");
        (await client.PutJson($"/api/maps/{id}", first, ifMatch: "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        var second = SampleMaps.Small("Second writer, stale");
        var problem = await (await client.PutJson($"/api/maps/{id}", second, ifMatch: "\"1\"")).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        problem["detail"]!.GetValue<string>().Should().Contain("\"2\"");

        var stored = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        stored["name"]!.GetValue<string>().Should().Be("First writer");
        stored["version"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task StaleIfMatchOnStageAndTouchpointEditsAndDeleteGets412()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();
        var stageId = map["stages"]![0]!["id"]!.GetValue<string>();
        var touchpointId = map["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();
        await client.PutJson($"/api/maps/{id}/stages/{stageId}", JsonNode.Parse("""{"name":"Research"}""")!, ifMatch: "\"1\"");

        await (await client.PutJson($"/api/maps/{id}/stages/{stageId}", JsonNode.Parse("""{"name":"Again"}""")!, ifMatch: "\"1\""))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await client.PutJson($"/api/maps/{id}/touchpoints/{touchpointId}", JsonNode.Parse("""{"name":"Site"}""")!, ifMatch: "\"1\""))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/maps/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await (await client.SendAsync(delete)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await client.GetAsync($"/api/maps/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConcurrentWritersWithTheSameETagCannotBothWin()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();

        var writes = Enumerable.Range(0, 6)
            .Select(i => client.PutJson($"/api/maps/{id}", SampleMaps.Small($"Writer {i}"), ifMatch: "\"1\""))
            .ToList();
        var statuses = (await Task.WhenAll(writes)).Select(r => r.StatusCode).ToList();

        statuses.Count(s => s == HttpStatusCode.OK).Should().Be(1);
        statuses.Count(s => s == HttpStatusCode.PreconditionFailed).Should().Be(5);
    }

    [Fact]
    public async Task GetWithMatchingIfNoneMatchIsNotModified()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/maps/{map["id"]}");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task StagesCanBeAddedMovedRenamedAndDeletedOnTheirOwn()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();

        var added = await client.PostAsJsonAsync($"/api/maps/{id}/stages", new
        {
            name = "Awareness",
            position = 0,
            lanes = new { actions = new[] { "Sees an ad" } },
            touchpoints = new[] { new { name = "Paid ads", channel = "ads" } },
        });
        var stage = await added.ReadJson(HttpStatusCode.Created);
        added.Headers.ETag!.Tag.Should().Be("\"2\"");
        var stageId = stage["id"]!.GetValue<string>();
        added.Headers.Location!.ToString().Should().Be($"/api/maps/{id}/stages/{stageId}");

        var afterAdd = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        afterAdd["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal("Awareness", "Consideration", "Purchase");

        var moved = await client.PutJson($"/api/maps/{id}/stages/{stageId}", JsonNode.Parse("""{"name":"Discovery","position":5}""")!);
        (await moved.ReadJson(HttpStatusCode.OK))["position"]!.GetValue<int>().Should().Be(2);
        var afterMove = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        afterMove["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal("Consideration", "Purchase", "Discovery");
        afterMove["stages"]![2]!["lanes"]!["actions"]![0]!.GetValue<string>().Should().Be("Sees an ad", "a rename keeps the lanes");

        (await client.DeleteAsync($"/api/maps/{id}/stages/{stageId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var afterDelete = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        afterDelete["stages"]!.AsArray().Select(s => s!["position"]!.GetValue<int>()).Should().Equal(0, 1);
        afterDelete["version"]!.GetValue<int>().Should().Be(4);
    }

    [Fact]
    public async Task TouchpointsCanBeAddedChangedMovedAndDeletedOnTheirOwn()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();
        var consideration = map["stages"]![0]!["id"]!.GetValue<string>();
        var purchase = map["stages"]![1]!["id"]!.GetValue<string>();

        var created = await (await client.PostAsJsonAsync($"/api/maps/{id}/stages/{consideration}/touchpoints",
            new { name = "Phone", channel = "phone", phase = "pre-purchase", keywords = new[] { "call", "Call", " hold " } }))
            .ReadJson(HttpStatusCode.Created);
        created["keywords"]!.AsArray().Select(k => k!.GetValue<string>()).Should().Equal("call", "hold");
        var phoneId = created["id"]!.GetValue<string>();

        var changed = await (await client.PutJson($"/api/maps/{id}/touchpoints/{phoneId}",
            JsonNode.Parse($$"""{"description":"Hotline","stageId":"{{purchase}}","position":0}""")!)).ReadJson(HttpStatusCode.OK);
        changed["stageId"]!.GetValue<string>().Should().Be(purchase);
        changed["name"]!.GetValue<string>().Should().Be("Phone", "omitted fields keep their value");
        changed["channel"]!.GetValue<string>().Should().Be("phone");
        changed["description"]!.GetValue<string>().Should().Be("Hotline");

        var stored = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        stored["stages"]![0]!["touchpoints"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("Website");
        stored["stages"]![1]!["touchpoints"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("Phone", "Checkout", "Live chat");

        (await client.GetAsync($"/api/maps/{id}/touchpoints/{phoneId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.DeleteAsync($"/api/maps/{id}/touchpoints/{phoneId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/maps/{id}/touchpoints/{phoneId}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name":"  "}""", "name")]
    [InlineData("""{"name":"M","template":"someday"}""", "template")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy"},{"name":" buy "}]}""", "stages[1].name")]
    [InlineData("""{"name":"M","stages":[{"name":""}]}""", "stages[0].name")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy","touchpoints":[{"name":"Chat","phase":"after"}]}]}""", "stages[0].touchpoints[0].phase")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy","touchpoints":[{"name":"Chat"},{"name":"chat"}]}]}""", "stages[0].touchpoints[1].name")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy","touchpoints":[{"channel":"chat"}]}]}""", "stages[0].touchpoints[0].name")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy","lanes":{"thoughts":["x"]}}]}""", "$.stages[0].lanes.thoughts")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy","touchpoint":[]}]}""", "$.stages[0].touchpoint")]
    [InlineData("""{"name":"M","stages":"Awareness"}""", "$.stages")]
    [InlineData("""{"name":"M","stages":[{"name":"Buy"}""", "$.stages[1]")]
    public async Task InvalidMapsAreRejectedNamingTheField(string body, string field)
    {
        var client = await Author();
        var response = await client.PostAsync("/api/maps", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldNameField(field);
        (await client.GetFromJsonAsync<JsonArray>("/api/maps"))!.Should().BeEmpty("nothing is stored from a rejected request");
    }

    [Fact]
    public async Task TooLongNameIsRejected()
    {
        var client = await Author();
        var response = await client.PostAsJsonAsync("/api/maps", new { name = new string('x', 201) });
        var problem = await response.ShouldNameField("name");
        problem["errors"]!["name"]![0]!.GetValue<string>().Should().Contain("200");
    }

    [Fact]
    public async Task UpdateWithAnIdFromAnotherMapIsRejected()
    {
        var client = await Author();
        var first = await SampleMaps.CreateAsync(client);
        var second = await SampleMaps.CreateAsync(client, SampleMaps.Small("Other"));
        var foreignStage = second["stages"]![0]!["id"]!.GetValue<string>();

        var update = JsonNode.Parse($$"""{"name":"X","stages":[{"id":"{{foreignStage}}","name":"Stolen"}]}""")!;
        await (await client.PutJson($"/api/maps/{first["id"]}", update)).ShouldNameField("stages[0].id");
        var secondAfter = await (await client.GetAsync($"/api/maps/{second["id"]}")).ReadJson(HttpStatusCode.OK);
        secondAfter["stages"]![0]!["name"]!.GetValue<string>().Should().Be("Consideration");
    }

    [Fact]
    public async Task DuplicateStageNameOnAddOrRenameIsRejected()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();
        await (await client.PostAsJsonAsync($"/api/maps/{id}/stages", new { name = "purchase" })).ShouldNameField("name");
        var stageId = map["stages"]![0]!["id"]!.GetValue<string>();
        await (await client.PutJson($"/api/maps/{id}/stages/{stageId}", JsonNode.Parse("""{"name":"PURCHASE"}""")!)).ShouldNameField("name");
    }

    [Fact]
    public async Task MovingATouchpointToAStageOfAnotherMapIsRejected()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var other = await SampleMaps.CreateAsync(client, SampleMaps.Small("Other"));
        var touchpointId = map["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();
        var body = JsonNode.Parse($$"""{"stageId":"{{other["stages"]![0]!["id"]}}"}""")!;
        await (await client.PutJson($"/api/maps/{map["id"]}/touchpoints/{touchpointId}", body)).ShouldNameField("stageId");
    }

    [Fact]
    public async Task GetThenPutTheWholeDocumentWithOneFieldChangedStoresTheChange()
    {
        var client = await Author();
        var created = await SampleMaps.CreateAsync(client);
        var id = created["id"]!.GetValue<string>();
        var read = await client.GetAsync($"/api/maps/{id}");
        var document = await read.ReadJson(HttpStatusCode.OK);
        document["goal"] = "Buy in two clicks";
        document["stages"]![1]!["touchpoints"]![1]!["channel"] = "messenger";

        var response = await client.PutJson($"/api/maps/{id}", document, ifMatch: read.Headers.ETag!.Tag);

        var updated = await response.ReadJson(HttpStatusCode.OK);
        updated["version"]!.GetValue<int>().Should().Be(2);
        var stored = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        stored["goal"]!.GetValue<string>().Should().Be("Buy in two clicks");
        stored["stages"]![1]!["touchpoints"]![1]!["channel"]!.GetValue<string>().Should().Be("messenger");
        stored["stages"]![1]!["touchpoints"]![1]!["id"]!.GetValue<string>().Should()
            .Be(created["stages"]![1]!["touchpoints"]![1]!["id"]!.GetValue<string>(), "the touchpoint is kept, not recreated");
        stored["createdAt"]!.GetValue<string>().Should().Be(created["createdAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetDocumentWithAStageRemovedOrListsReorderedCanBePutBack()
    {
        var client = await Author();
        var created = await SampleMaps.CreateAsync(client);
        var id = created["id"]!.GetValue<string>();
        var document = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);

        // Positions and stageId still say where things were; the lists say where they go.
        var purchase = document["stages"]![1]!.AsObject();
        var touchpoints = purchase["touchpoints"]!.AsArray();
        var chat = touchpoints[1]!.DeepClone();
        touchpoints.RemoveAt(1);
        touchpoints.Insert(0, chat);
        document["stages"] = new JsonArray(purchase.DeepClone());

        var updated = await (await client.PutJson($"/api/maps/{id}", document)).ReadJson(HttpStatusCode.OK);
        updated["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal("Purchase");
        updated["stages"]![0]!["position"]!.GetValue<int>().Should().Be(0);
        updated["stages"]![0]!["touchpoints"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("Live chat", "Checkout");
    }

    [Fact]
    public async Task PutWithReadOnlyMembersThatContradictTheMapIsRejectedNamingTheField()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var other = await SampleMaps.CreateAsync(client, SampleMaps.Small("Other"));
        var id = map["id"]!.GetValue<string>();

        async Task Rejects(Action<JsonObject> change, string field)
        {
            var document = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
            document["name"] = "Must not be stored";
            change(document);
            await (await client.PutJson($"/api/maps/{id}", document)).ShouldNameField(field);
        }

        await Rejects(d => d["id"] = other["id"]!.GetValue<string>(), "id");
        await Rejects(d => d["version"] = 7, "version");
        await Rejects(d => d["createdAt"] = "2001-01-01T00:00:00Z", "createdAt");
        await Rejects(d => d["stages"]![1]!["position"] = 5, "stages[1].position");
        await Rejects(d => d["stages"]![0]!["touchpoints"]![0]!["stageId"] = other["stages"]![0]!["id"]!.GetValue<string>(), "stages[0].touchpoints[0].stageId");
        await Rejects(d => d["colour"] = "blue", "$.colour");

        var stored = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        stored["name"]!.GetValue<string>().Should().Be("Checkout journey");
        stored["version"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task CreateRefusesTheIdAndVersionOfAnExistingMap()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var document = await (await client.GetAsync($"/api/maps/{map["id"]}")).ReadJson(HttpStatusCode.OK);
        var problem = await (await client.PostAsJsonAsync("/api/maps", document)).ShouldNameField("id");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain("version");
    }

    [Fact]
    public async Task GetThenPutOfAStageAndOfATouchpointRoundTrips()
    {
        var client = await Author();
        var map = await SampleMaps.CreateAsync(client);
        var id = map["id"]!.GetValue<string>();
        var stageId = map["stages"]![1]!["id"]!.GetValue<string>();
        var otherStageId = map["stages"]![0]!["id"]!.GetValue<string>();

        var stage = await (await client.GetAsync($"/api/maps/{id}/stages/{stageId}")).ReadJson(HttpStatusCode.OK);
        stage["name"] = "Checkout";
        var renamed = await (await client.PutJson($"/api/maps/{id}/stages/{stageId}", stage)).ReadJson(HttpStatusCode.OK);
        renamed["name"]!.GetValue<string>().Should().Be("Checkout");
        renamed["touchpoints"]!.AsArray().Should().HaveCount(2);

        var wrongStage = stage.DeepClone().AsObject();
        wrongStage["id"] = otherStageId;
        await (await client.PutJson($"/api/maps/{id}/stages/{stageId}", wrongStage)).ShouldNameField("id");
        var touchpointEdited = stage.DeepClone().AsObject();
        touchpointEdited["touchpoints"]![0]!["name"] = "Pay page";
        await (await client.PutJson($"/api/maps/{id}/stages/{stageId}", touchpointEdited)).ShouldNameField("touchpoints[0].name");

        var touchpointId = stage["touchpoints"]![0]!["id"]!.GetValue<string>();
        var touchpoint = await (await client.GetAsync($"/api/maps/{id}/touchpoints/{touchpointId}")).ReadJson(HttpStatusCode.OK);
        touchpoint["description"] = "Card form and 3-D Secure";
        var changed = await (await client.PutJson($"/api/maps/{id}/touchpoints/{touchpointId}", touchpoint)).ReadJson(HttpStatusCode.OK);
        changed["description"]!.GetValue<string>().Should().Be("Card form and 3-D Secure");
        changed["stageId"]!.GetValue<string>().Should().Be(stageId);

        touchpoint["id"] = map["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();
        await (await client.PutJson($"/api/maps/{id}/touchpoints/{touchpointId}", touchpoint)).ShouldNameField("id");
        touchpoint.Remove("id");
        touchpoint["mood"] = "calm";
        await (await client.PutJson($"/api/maps/{id}/touchpoints/{touchpointId}", touchpoint)).ShouldNameField("$.mood");

        var stored = await (await client.GetAsync($"/api/maps/{id}")).ReadJson(HttpStatusCode.OK);
        stored["version"]!.GetValue<int>().Should().Be(3, "only the two accepted edits were stored");
        stored["stages"]![1]!["touchpoints"]![0]!["name"]!.GetValue<string>().Should().Be("Checkout");
    }

    [Fact]
    public async Task UnknownMapIdIs404Problem()
    {
        var client = await Author();
        await (await client.GetAsync($"/api/maps/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/maps/not-a-guid")).ShouldBeProblem(HttpStatusCode.NotFound);
    }
}
