using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Insights;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JourneyFeedback.Api.Tests;

/// <summary>
/// A map's evidence snapshot follows every write: each write path that touches a feedback item on a map (import, survey
/// answer, background analysis, correction, re-assignment, rematch, re-analysis, touchpoint and map delete) moves the
/// map's evidence version and stamps the changed rows in the database, the snapshot catches up by reading only those
/// rows (or rebuilds when the map's structure changed), and what the API serves equals a rebuild from scratch, column by
/// column.
/// </summary>
public sealed class EvidenceFreshnessTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private sealed record Journey(TestWorkspace Workspace, Guid MapId, Dictionary<string, string> Touchpoints)
    {
        public HttpClient Author => Workspace.As("author");
    }

    [Fact]
    public async Task EveryWritePathOfEvidenceRefreshesTheMapsInsights()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var journey = new Journey(workspace, Guid.Parse(map["id"]!.GetValue<string>()),
            map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
                .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["id"]!.GetValue<string>()));
        var empty = await ServedInsights(journey); // cached from here on

        var cache = app.Services.GetRequiredService<MapEvidenceCache>();
        var fromMemory = cache.RowsFromMemory;
        await Changes(journey, "an import onto the map", async () =>
        {
            var status = await ImportRuns.Run(workspace.As("researcher"), "reviews.csv", """
                id,text
                r1,"My parcel never arrived, the courier tracking has been stuck for a week"
                r2,"The checkout rejected my card payment twice and the promo code did not work"
                r3,"the glorbix widget zapped"
                """, "review", new() { ["mapId"] = journey.MapId.ToString() });
            status["imported"]!.GetValue<int>().Should().Be(3);
        }, settled: NothingPending); // matching and analysis of the new rows run in the background: let them land first
        (await ServedInsights(journey)).Should().NotBe(empty);
        if (!TestDatabase.UsesPostgres) // PostgreSQL reads them back (its stamps are not known before the statement ends)
            cache.RowsFromMemory.Should().BeGreaterThan(fromMemory, "the catch-up takes the rows this instance imported from memory, not from the database");

        var items = await Items(journey);
        await Changes(journey, "a sentiment correction", async () =>
            (await journey.Author.PatchAsJsonAsync($"/api/evidence/{items["r1"]}", new { sentiment = "positive" })).StatusCode.Should().Be(HttpStatusCode.OK),
            settled: NothingPending);

        // A re-assignment is a confirmation: it re-queues the map's inbox for the taught matcher, which the worker re-matches.
        await Changes(journey, "a re-assignment", async () =>
            (await journey.Author.PatchAsJsonAsync($"/api/evidence/{items["r2"]}", new { touchpointId = journey.Touchpoints["Returns"] }))
                .StatusCode.Should().Be(HttpStatusCode.OK),
            settled: NothingPending);

        // Survey comments are stored by the answer writer, then scored by the background analysis worker.
        var survey = await (await journey.Author.PostAsJsonAsync("/api/surveys", new
        {
            type = "nps", name = "Post-chat", mapId = journey.MapId, touchpointId = journey.Touchpoints["Live chat"],
        })).ReadJson(HttpStatusCode.Created);
        var invitations = await (await workspace.As("agent").PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations",
            new { recipients = new[] { new { externalRef = "chat-1", customerId = "c-1", channel = "chat" } } })).ReadJson(HttpStatusCode.Created);
        await Changes(journey, "a survey answer and its analysis", async () =>
        {
            var token = invitations["invitations"]![0]!["token"]!.GetValue<string>();
            (await app.CreateClient().PostAsync($"/s/{token}", new StringContent(
                JsonSerializer.Serialize(new { score = 2, comment = "The advisor left the chat without an answer" }), Encoding.UTF8, "application/json")))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }, settled: NothingPending);

        await Changes(journey, "a re-analysis (as after a promoted retrain)", async () =>
            (await journey.Author.PostAsJsonAsync("/api/analysis/reanalyze", new { })).StatusCode.Should().Be(HttpStatusCode.Accepted),
            settled: NothingPending, mustDiffer: false);

        await Changes(journey, "a rematch", async () =>
            (await journey.Author.PostAsync($"/api/maps/{journey.MapId}/rematch", null)).StatusCode.Should().Be(HttpStatusCode.Accepted),
            settled: NothingPending, mustDiffer: false);

        await Changes(journey, "a touchpoint delete", async () =>
            (await journey.Author.DeleteAsync($"/api/maps/{journey.MapId}/touchpoints/{journey.Touchpoints["Delivery"]}"))
                .StatusCode.Should().Be(HttpStatusCode.NoContent),
            settled: NothingPending, rebuilds: true);

        var versionBefore = await EvidenceVersion(journey.MapId);
        (await journey.Author.DeleteAsync($"/api/maps/{journey.MapId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.WithDb(db => db.FeedbackItems.CountAsync(f => f.MapId == journey.MapId))).Should().Be(0, "the map's items are released");
        versionBefore.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task EvidenceAttachedToTheMapIsFollowedByReadingTheChangedRows()
    {
        // Items already stored enter the map by a change of their map (a re-import with a map, POST /api/maps/{id}/evidence):
        // stamped in the writer's transaction like inserts, so the snapshot catches up without a rebuild.
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var journey = new Journey(workspace, Guid.Parse(map["id"]!.GetValue<string>()), []);
        var researcher = workspace.As("researcher");
        const string reviews = """
            id,text
            a1,"My parcel never arrived, the courier tracking has been stuck for a week"
            a2,"The checkout rejected my card payment twice and the promo code did not work"
            """;
        await ImportRuns.Run(researcher, "reviews.csv", reviews, "review");
        var calls = await ImportRuns.Run(researcher, "calls.csv", "id,channel,text\nc1,phone,\"Nobody answered the hotline for an hour\"\n", "support-log");

        await Changes(journey, "a re-import that attaches its duplicates", async () =>
            (await ImportRuns.Run(researcher, "reviews.csv", reviews, "review", new() { ["mapId"] = journey.MapId.ToString() }))["attached"]!
                .GetValue<int>().Should().Be(2),
            settled: NothingPending);
        await Changes(journey, "an attach by import", async () =>
            (await journey.Author.PostAsJsonAsync($"/api/maps/{journey.MapId}/evidence", new { importId = calls["id"]!.GetValue<string>() }))
                .StatusCode.Should().Be(HttpStatusCode.Accepted),
            settled: NothingPending);
        JsonNode.Parse(await ServedInsights(journey))!["items"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public async Task AWriteStraightToTheDatabaseBumpsTheMapsEvidenceVersion()
    {
        // No API code involved: the database itself keeps the version, so a new writer cannot forget it.
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
        var start = await EvidenceVersion(mapId);
        var item = new Evidence.FeedbackItem { WorkspaceId = workspace.Id, Kind = "review", Text = "Late parcel", MapId = mapId, OccurredAt = DateTime.UtcNow };
        await app.WithDb(async db => { db.FeedbackItems.Add(item); return await db.SaveChangesAsync(); });
        var inserted = await EvidenceVersion(mapId);
        await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == item.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Sentiment, "negative")));
        var updated = await EvidenceVersion(mapId);
        await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == item.Id).ExecuteDeleteAsync());
        var deleted = await EvidenceVersion(mapId);

        inserted.Should().BeGreaterThan(start);
        updated.Should().BeGreaterThan(inserted);
        deleted.Should().BeGreaterThan(updated);

        // Items on no map touch no map.
        await app.WithDb(async db =>
        {
            db.FeedbackItems.Add(new Evidence.FeedbackItem { WorkspaceId = workspace.Id, Kind = "review", Text = "Off the map", OccurredAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        (await EvidenceVersion(mapId)).Should().Be(deleted);
    }

    [Fact]
    public async Task WritesStraightToTheDatabaseAreFollowedAsAnotherInstancesWouldBe()
    {
        // Written by no API code (as by another instance or a script): the rows' stamps and the reset version come
        // from the database, so the snapshot follows inserts and updates by reading the changed rows, and rebuilds when
        // an item leaves the map or moves in time.
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
        var journey = new Journey(workspace, mapId, []);
        await ServedInsights(journey);
        var items = Enumerable.Range(0, 4).Select(i => new Evidence.FeedbackItem
        {
            WorkspaceId = workspace.Id, Kind = "review", Text = $"Late parcel number {i}?", MapId = mapId, Sentiment = "negative",
            SentimentNegative = 0.9, PainPoint = "delivery-shipping", OccurredAt = new DateTime(2026, 10, 1 + i, 0, 0, 0, DateTimeKind.Utc),
            // Analysed and matched already: the background workers leave them alone, so nothing but the test writes them
            // between the served snapshot and the rebuild it is compared with.
            MatchedAt = DateTime.UtcNow, AnalyzedAt = DateTime.UtcNow,
        }).ToList();
        var cache = app.Services.GetRequiredService<MapEvidenceCache>();

        async Task Follows(string write, Func<JourneyFeedbackDb, Task<int>> change, bool rebuilds)
        {
            var (rebuildsBefore, catchUpsBefore) = (cache.Rebuilds, cache.CatchUps);
            (await app.WithDb(change)).Should().BeGreaterThan(0);
            await ServedInsights(journey);
            Dump(await ServedSnapshot(journey)).Should().Equal(Dump(await RebuiltSnapshot(journey)), $"after {write} the snapshot equals a rebuild");
            if (rebuilds) cache.Rebuilds.Should().BeGreaterThan(rebuildsBefore, write);
            else (cache.Rebuilds, cache.CatchUps > catchUpsBefore).Should().Be((rebuildsBefore, true), write);
        }

        // Key phrases and emotions as the analysis stores them, one with escapes (non-ASCII text is escaped in JSON).
        items[3].KeyPhrases = JsonSerializer.Serialize(new[] { "café au lait \"cold\"", "late parcel", "refund", "fourth" });
        items[3].Emotions = """[{"label":"annoyance","group":"anger","score":0.8},{"label":"neutral","group":"neutral","score":0.2}]""";
        items[2].KeyPhrases = """["late parcel","wrong door"]""";
        await Follows("an EF insert", db => { db.FeedbackItems.AddRange(items); return db.SaveChangesAsync(); }, rebuilds: false);
        var read = await ServedSnapshot(journey);
        var escaped = Array.IndexOf(read.Ids, items[3].Id);
        (read.Phrases[read.Phrase1[escaped]], read.Phrases[read.Phrase2[escaped]], read.Phrases[read.Phrase3[escaped]])
            .Should().Be(("café au lait \"cold\"", "late parcel", "refund"), "the first three phrases, unescaped");
        read.Emotions[escaped].Should().Be((1 << JourneyFeedback.Analysis.Emotions.EmotionLabels.All.Select(l => l.Name).ToList().IndexOf("annoyance"))
            | (1 << MapEvidence.NeutralEmotionBit));
        var plain = Array.IndexOf(read.Ids, items[2].Id);
        (read.Phrases[read.Phrase1[plain]], read.Phrases[read.Phrase2[plain]], read.Phrase3[plain]).Should().Be(("late parcel", "wrong door", -1));
        read.Phrase1[plain].Should().Be(read.Phrase2[escaped], "one phrase, one id");
        read.IsQuestion.Count(q => q).Should().Be(4, "every text asks a question");
        await Follows("an ExecuteUpdate", db => db.FeedbackItems.Where(f => f.Id == items[1].Id)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.Sentiment, "positive").SetProperty(f => f.SentimentPositive, 0.8)), rebuilds: false);
        await Follows("a changed time", db => db.FeedbackItems.Where(f => f.Id == items[2].Id)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.OccurredAt, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc))), rebuilds: true);
        await Follows("a delete", db => db.FeedbackItems.Where(f => f.Id == items[0].Id).ExecuteDeleteAsync(), rebuilds: true);
        (await ServedSnapshot(journey)).Count.Should().Be(3);
    }

    [Fact]
    public async Task ARestartedInstanceLoadsTheSavedSnapshotAndCatchesUpOnlyWhenItCan()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
        Evidence.FeedbackItem Item(int i) => new()
        {
            WorkspaceId = workspace.Id, Kind = "review", Text = $"Refund number {i} never came", MapId = mapId, Sentiment = i % 2 == 0 ? "negative" : "neutral",
            SentimentNegative = 0.7, PainPoint = "refunds-returns", KeyPhrases = $"[\"refund {i % 3}\",\"never came\"]", Channel = "chat",
            OccurredAt = new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i), MatchedAt = DateTime.UtcNow,
        };
        var items = Enumerable.Range(0, 6).Select(Item).ToList();
        await app.WithDb(db => { db.FeedbackItems.AddRange(items); return db.SaveChangesAsync(); });
        var file = app.Services.GetRequiredService<StoragePaths>().SnapshotFile(mapId);

        // The first instance builds the snapshot and saves it.
        var first = ColdCache(app.Services, saveFrom: 0);
        await app.WithDb(db => first.GetAsync(db, mapId, CancellationToken.None));
        for (var attempt = 0; !File.Exists(file); attempt++)
        {
            attempt.Should().BeLessThan(100, "a full build is saved at once");
            await Task.Delay(50);
        }

        // Meanwhile the evidence moves on: a new item and a changed one.
        await app.WithDb(db => { db.FeedbackItems.Add(Item(6)); return db.SaveChangesAsync(); });
        await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == items[1].Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Sentiment, "positive")));

        // A restarted instance loads the file and reads only the two changed rows: the same snapshot as a rebuild.
        // The caches below load files but save none (their map is under 1,000 items), so no background save races the file's checks.
        var restarted = ColdCache(app.Services, saveFrom: 1000);
        var loaded = await app.WithDb(async db => (await restarted.GetAsync(db, mapId, CancellationToken.None))!.Value.Evidence);
        (restarted.LoadsFromFile, restarted.CatchUps, restarted.Rebuilds).Should().Be((1, 1, 0));
        loaded.Count.Should().Be(7);
        Dump(loaded).Should().Equal(Dump(await RebuiltSnapshot(new Journey(workspace, mapId, []))));

        // An item left the map after the file was saved: the file cannot follow that, so the next instance rebuilds.
        await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == items[0].Id).ExecuteDeleteAsync());
        var afterDelete = ColdCache(app.Services, saveFrom: 1000);
        (await app.WithDb(async db => (await afterDelete.GetAsync(db, mapId, CancellationToken.None))!.Value.Evidence)).Count.Should().Be(6);
        (afterDelete.LoadsFromFile, afterDelete.Rebuilds).Should().Be((0, 1));

        // A damaged file is a missed shortcut, not an error.
        await File.WriteAllBytesAsync(file, (await File.ReadAllBytesAsync(file))[..100]);
        var damaged = ColdCache(app.Services, saveFrom: 1000);
        (await app.WithDb(async db => (await damaged.GetAsync(db, mapId, CancellationToken.None))!.Value.Evidence)).Count.Should().Be(6);
        damaged.Rebuilds.Should().Be(1);
    }

    [Fact]
    public async Task AReaderDuringARefreshGetsTheLastSnapshotAndHowFarBehindItIs()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
        var journey = new Journey(workspace, mapId, []);
        Task Import(string name, int rows) => ImportReviews(workspace, mapId, name, rows);
        await Import("first", 3);
        var before = JsonNode.Parse(await ServedInsights(journey))!;
        before["items"]!.GetValue<int>().Should().Be(3);

        var cache = app.Services.GetRequiredService<MapEvidenceCache>();
        var release = new TaskCompletionSource();
        cache.BeforeRefresh = map => map == mapId ? release.Task : Task.CompletedTask;
        try
        {
            await Import("second", 2);
            var during = await (await journey.Author.GetAsync($"/api/maps/{mapId}/insights")).ReadJson(HttpStatusCode.OK);
            during["items"]!.GetValue<int>().Should().Be(3, "the refresh is held, so the last consistent snapshot answers");
            during["pendingItems"]!.GetValue<int>().Should().Be(2);
            var touchpoint = before["stages"]![0]!["touchpoints"]![0]!["id"]!.GetValue<string>();
            var page = await (await journey.Author.GetAsync($"/api/maps/{mapId}/touchpoints/{touchpoint}/evidence")).ReadJson(HttpStatusCode.OK);
            page["pendingItems"]!.GetValue<int>().Should().Be(2, "evidence pages answer from the same snapshot");
        }
        finally
        {
            release.SetResult();
            cache.BeforeRefresh = null;
        }
        JsonNode.Parse(await ServedInsights(journey))!["items"]!.GetValue<int>().Should().Be(5);
    }

    [Fact]
    public async Task ACatchUpTakesThisInstancesImportsFromMemoryAndReadsOnlyTheOtherChanges()
    {
        // Two imports with a write straight to the database between them (as another writer would), all before one
        // catch-up: the imports' rows come from what this instance committed, the versions between them are read, and a
        // row that changed after its import shows as changed.
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
        var journey = new Journey(workspace, mapId, []);
        Task Import(string name, int rows) => ImportReviews(workspace, mapId, name, rows, " twice?");
        await Import("first", 2);
        await ServedInsights(journey);

        var cache = app.Services.GetRequiredService<MapEvidenceCache>();
        var (fromMemory, catchUps, rebuilds) = (cache.RowsFromMemory, cache.CatchUps, cache.Rebuilds);
        var release = new TaskCompletionSource();
        cache.BeforeRefresh = map => map == mapId ? release.Task : Task.CompletedTask;
        try
        {
            await Import("second", 3);
            var changed = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == mapId && f.ExternalId == "second-1")
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.Sentiment, "positive").SetProperty(f => f.SentimentPositive, 0.75)));
            changed.Should().Be(1);
            await Import("third", 2);
        }
        finally
        {
            release.SetResult();
            cache.BeforeRefresh = null;
        }

        JsonNode.Parse(await ServedInsights(journey))!["items"]!.GetValue<int>().Should().Be(7);
        Dump(await ServedSnapshot(journey)).Should().Equal(Dump(await RebuiltSnapshot(journey)));
        (cache.Rebuilds, cache.CatchUps > catchUps).Should().Be((rebuilds, true));
        if (!TestDatabase.UsesPostgres)
            (cache.RowsFromMemory - fromMemory).Should().Be(4, "five imported rows, one of them read back because it changed after its import");
    }

    [Fact]
    public async Task AQuotesTextIsReadOnceAndItsNegativityFollowsTheItem()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var journey = new Journey(workspace, Guid.Parse(map["id"]!.GetValue<string>()), []);
        (await ImportRuns.Run(workspace.As("researcher"), "late.csv", """
            id,text
            d1,"My parcel never arrived, the courier lost it and nobody answers"
            d2,"The delivery is two weeks late and the tracking page is broken"
            """, "review", new() { ["mapId"] = journey.MapId.ToString() }))["imported"]!.GetValue<int>().Should().Be(2);
        for (var attempt = 0; !await NothingPending(journey); attempt++) attempt.Should().BeLessThan(300);

        static JsonNode FirstQuote(string insights) => JsonNode.Parse(insights)!["topPainPoints"]![0]!["quotes"]![0]!;
        var quote = FirstQuote(await ServedInsights(journey));
        var id = Guid.Parse(quote["evidenceId"]!.GetValue<string>());
        quote["negativity"]!.GetValue<double>().Should().NotBe(0.6125);

        (await app.WithDb(db => db.FeedbackItems.Where(f => f.Id == id).ExecuteUpdateAsync(u => u.SetProperty(f => f.SentimentNegative, 0.6125)))).Should().Be(1);
        var served = await ServedInsights(journey);
        served.Should().Be(await RebuiltInsights(journey));
        var after = JsonNode.Parse(served)!["topPainPoints"]!.AsArray().SelectMany(t => t!["quotes"]!.AsArray()).Single(q => q!["evidenceId"]!.GetValue<string>() == id.ToString())!;
        after["negativity"]!.GetValue<double>().Should().Be(0.6125, "the text is kept, the negativity is the snapshot's");
        after["text"]!.GetValue<string>().Should().Be(quote["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnItemStoredWhileASnapshotIsBuiltDoesNotPushAnOlderItemOut()
    {
        // A full build counts the map's rows, then reads them newest first; a row stored in between (another instance,
        // a survey answer) must not cost the oldest row its place: no catch-up would read that one again.
        var workspace = await app.CreateWorkspaceAsync();
        var mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
        (await ImportRuns.Run(workspace.As("researcher"), "old.csv",
            "id,text,date\nold-1,The courier lost my parcel,2024-01-03\nold-2,Refund took a month,2024-01-02\nold-3,App logged me out,2024-01-01\n",
            "review", new() { ["mapId"] = mapId.ToString() }))["imported"]!.GetValue<int>().Should().Be(3);

        var cache = ColdCache(app.Services);
        var written = 0;
        cache.AfterCount = async map =>
        {
            if (map != mapId || Interlocked.Increment(ref written) > 1) return;
            await app.WithDb(async db =>
            {
                db.FeedbackItems.Add(new Evidence.FeedbackItem
                {
                    WorkspaceId = workspace.Id, Kind = "review", Text = "Stored during the build", OccurredAt = DateTime.UtcNow,
                    CreatedAt = DateTime.UtcNow, MapId = mapId,
                });
                return await db.SaveChangesAsync();
            });
        };
        var built = await app.WithDb(async db => (await cache.GetAsync(db, mapId, CancellationToken.None))!.Value.Evidence);
        written.Should().Be(1, "the build ran with the write between its count and its read");
        built.Count.Should().Be(4);

        cache.AfterCount = null;
        var stored = await app.WithDb(db => db.FeedbackItems.CountAsync(f => f.MapId == mapId));
        var caughtUp = await app.WithDb(async db =>
        {
            for (var i = 0; ; i++)
            {
                var (evidence, pending) = (await cache.GetAsync(db, mapId, CancellationToken.None))!.Value;
                if (pending == 0 || i == 100) return evidence;
                await Task.Delay(50);
            }
        });
        caughtUp.Count.Should().Be(stored).And.Be(4);
    }

    /// <summary>
    /// Runs a write with the map's insights cached, then checks that the evidence version moved and (once the background
    /// workers have settled and the answer says it is current) that the served insights and the served snapshot equal a
    /// rebuild from scratch, that the insights differ from before, and whether the snapshot caught up or was rebuilt.
    /// </summary>
    private async Task Changes(Journey journey, string write, Func<Task> action, Func<Journey, Task<bool>>? settled = null, bool mustDiffer = true,
        bool rebuilds = false)
    {
        var before = await ServedInsights(journey);
        var version = await EvidenceVersion(journey.MapId);
        var cache = app.Services.GetRequiredService<MapEvidenceCache>();
        var (rebuildsBefore, catchUpsBefore) = (cache.Rebuilds, cache.CatchUps);
        await action();
        for (var attempt = 0; settled is not null && !await settled(journey); attempt++)
        {
            attempt.Should().BeLessThan(300, $"the workers settle after {write}");
            await Task.Delay(100);
        }
        (await EvidenceVersion(journey.MapId)).Should().BeGreaterThan(version, $"{write} changes the map's evidence");
        var served = await ServedInsights(journey);
        served.Should().Be(await RebuiltInsights(journey), $"after {write} the served insights are current");
        if (mustDiffer) served.Should().NotBe(before, $"{write} shows in the insights");
        Dump(await ServedSnapshot(journey)).Should().Equal(Dump(await RebuiltSnapshot(journey)), $"after {write} the snapshot equals a rebuild");
        if (rebuilds) cache.Rebuilds.Should().BeGreaterThan(rebuildsBefore, $"{write} changes the map's structure");
        else (cache.Rebuilds, cache.CatchUps > catchUpsBefore).Should().Be((rebuildsBefore, true), $"{write} is followed by reading the changed rows");
    }

    /// <summary>The served insights once they say they are current, without the moment they were read.</summary>
    private static async Task<string> ServedInsights(Journey journey)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = (await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights")).ReadJson(HttpStatusCode.OK)).AsObject();
            if (insights["pendingItems"]!.GetValue<int>() == 0 || attempt == 100) return WithoutAsOf(insights);
            await Task.Delay(50);
        }
    }

    private static string WithoutAsOf(JsonObject insights)
    {
        insights["asOf"]!.GetValue<DateTime>().Should().BeBefore(DateTime.UtcNow.AddSeconds(1));
        insights.Remove("asOf");
        return insights.ToJsonString();
    }

    /// <summary>The same insights from a cache of their own, cold: what a full rebuild gives.</summary>
    private async Task<string> RebuiltInsights(Journey journey)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JourneyFeedbackDb>();
        var builder = new MapInsightsBuilder(db, ColdCache(scope.ServiceProvider),
            new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions()));
        var insights = await builder.BuildAsync(journey.Workspace.Id, journey.MapId, new EvidenceSelection(null, null, null), 5, CancellationToken.None);
        var json = scope.ServiceProvider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return WithoutAsOf(JsonSerializer.SerializeToNode(insights, json)!.AsObject());
    }

    /// <summary>
    /// A cache of its own, empty. With <paramref name="saveFrom"/> ≥ 0 it loads saved snapshot files and saves those of maps
    /// with at least that many items; with -1 it neither loads nor saves (a true rebuild).
    /// </summary>
    private static MapEvidenceCache ColdCache(IServiceProvider services, int saveFrom = -1) => new(services.GetRequiredService<IServiceScopeFactory>(),
        Options.Create(new InsightsOptions { SaveSnapshotMinItems = saveFrom }), services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(),
        services.GetRequiredService<StoragePaths>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<MapEvidenceCache>.Instance);

    private Task<MapEvidence> ServedSnapshot(Journey journey) => app.WithDb(async db =>
        (await app.Services.GetRequiredService<MapEvidenceCache>().GetAsync(db, journey.MapId, CancellationToken.None))!.Value.Evidence);

    private Task<MapEvidence> RebuiltSnapshot(Journey journey) => app.WithDb(async db =>
        (await ColdCache(app.Services).GetAsync(db, journey.MapId, CancellationToken.None))!.Value.Evidence);

    /// <summary>Every item of a snapshot with every column, strings and themes resolved (ids into tables may differ).</summary>
    private static List<string> Dump(MapEvidence e)
    {
        string Phrase(int id) => id < 0 ? "" : e.Phrases[id];
        string Theme(int key) => key < 0 ? "" : e.StoredThemeOf(key)?.Id.ToString() ?? $"category {key}";
        return Enumerable.Range(0, e.Count).Select(i => string.Join('|', e.Ids[i], e.Touchpoint[i] < 0 ? e.Touchpoint[i].ToString() : e.TouchpointIds[e.Touchpoint[i]].ToString(),
            e.OccurredTicks[i], e.Sentiment[i], e.NegativeScore[i], e.PositiveScore[i], e.Emotions[i], e.PainPoint[i], Phrase(e.Phrase1[i]), Phrase(e.Phrase2[i]),
            Phrase(e.Phrase3[i]), e.LowConfidence[i], e.IsQuestion[i], e.Kinds[e.Kind[i]], e.Sources[e.Source[i]], e.Channels[e.Channel[i]], e.Languages[e.Language[i]],
            Theme(e.Theme[i]), e.Customer[i] < 0 ? "" : e.CustomerIds[e.Customer[i]])).Append($"version {e.MapVersion} themes {string.Join(',', e.StoredThemes.Select(t => t.Name))}").ToList();
    }

    private static async Task<bool> NothingPending(Journey journey)
    {
        var insights = JsonNode.Parse(await ServedInsights(journey))!;
        var page = await (await journey.Author.GetAsync("/api/evidence?pageSize=500")).ReadJson(HttpStatusCode.OK);
        return insights["pendingMatching"]!.GetValue<int>() == 0 && page["items"]!.AsArray().All(i => i!["analysis"]?["analyzedAt"] is JsonValue);
    }

    /// <summary>Imports <paramref name="rows"/> reviews onto the map (ids <c>{name}-{i}</c>) and checks they were all new.</summary>
    private static async Task ImportReviews(TestWorkspace workspace, Guid mapId, string name, int rows, string textEnd = "") =>
        (await ImportRuns.Run(workspace.As("researcher"), name,
            "id,text\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"{name}-{i},The courier lost parcel {name} {i}{textEnd}\n")), "review",
            new() { ["mapId"] = mapId.ToString() }))["imported"]!.GetValue<int>().Should().Be(rows);

    private Task<long> EvidenceVersion(Guid mapId) =>
        app.WithDb(db => db.Maps.Where(m => m.Id == mapId).Select(m => m.EvidenceVersion).FirstOrDefaultAsync());

    private static async Task<Dictionary<string, string>> Items(Journey journey)
    {
        var page = await (await journey.Author.GetAsync("/api/evidence?pageSize=500")).ReadJson(HttpStatusCode.OK);
        return page["items"]!.AsArray().Where(i => i!["externalId"] is not null)
            .ToDictionary(i => i!["externalId"]!.GetValue<string>(), i => i!["id"]!.GetValue<string>());
    }
}

/// <summary>
/// A stopping instance (a deploy, a restart) brings its big snapshots up to date and saves them, so the next start loads
/// a current file and reads no changed rows, where it used to catch up on everything written since the last periodic save.
/// </summary>
public sealed class SnapshotSavedAtStopTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "journeyfeedback-tests", Guid.NewGuid().ToString("N"));
    private readonly TestDatabase _database = TestDatabase.Create(); // both starts use it (SQLite: the data folder decides)

    [Fact]
    public async Task AStoppingInstanceSavesItsSnapshotUpToDateSoTheNextStartHasNothingToCatchUp()
    {
        // Every snapshot counts as big, the periodic save is an hour away and the second start warms nothing (warming
        // would load the file, catch up and save): only the stop can save the later writes.
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _dataDirectory, ["Insights:SaveSnapshotMinItems"] = "1", ["Insights:SaveSnapshotSeconds"] = "3600",
            ["Insights:WarmMaps"] = "0",
        };
        Guid mapId;
        string file;
        long versionAtStop;
        using (var first = new ConfiguredApp(settings, _database))
        {
            var workspace = await first.CreateWorkspaceAsync();
            mapId = Guid.Parse((await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Small()))["id"]!.GetValue<string>());
            Evidence.FeedbackItem Item(int i) => new()
            {
                WorkspaceId = workspace.Id, Kind = "review", Text = $"Parcel {i} arrived late", MapId = mapId, Sentiment = "negative",
                SentimentNegative = 0.8, PainPoint = "delivery-shipping", Channel = "email",
                OccurredAt = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i), MatchedAt = DateTime.UtcNow, AnalyzedAt = DateTime.UtcNow,
            };
            var items = Enumerable.Range(0, 5).Select(Item).ToList();
            await first.WithDb(db => { db.FeedbackItems.AddRange(items); return db.SaveChangesAsync(); });
            (await workspace.As("viewer").GetAsync($"/api/maps/{mapId}/insights")).StatusCode.Should().Be(HttpStatusCode.OK);
            file = first.Services.GetRequiredService<StoragePaths>().SnapshotFile(mapId);
            for (var attempt = 0; !File.Exists(file); attempt++)
            {
                attempt.Should().BeLessThan(100, "a full build is saved at once");
                await Task.Delay(50);
            }

            // The evidence moves on and nobody reads the map: a new item and a changed one.
            await first.WithDb(db => { db.FeedbackItems.Add(Item(5)); return db.SaveChangesAsync(); });
            await first.WithDb(db => db.FeedbackItems.Where(f => f.Id == items[1].Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Sentiment, "positive")));
            versionAtStop = (await first.WithDb(db => MapEvidence.StateAsync(db, mapId, CancellationToken.None)))!.EvidenceVersion;
            (await Saved(first, mapId, file)).EvidenceVersion.Should().BeLessThan(versionAtStop, "the file was saved before the writes");
        }

        // (Background work of the first instance may have written later still: the file is at least that current.)
        using var second = new ConfiguredApp(settings, _database);
        var saved = await Saved(second, mapId, file);
        saved.EvidenceVersion.Should().BeGreaterThanOrEqualTo(versionAtStop, "the stopping instance caught up and saved");
        saved.Count.Should().Be(6, "the new item is in the file");
        saved.Sentiment.Count(s => s == MapEvidence.Positive).Should().Be(1, "the changed item is in the file");
        var cache = second.Services.GetRequiredService<MapEvidenceCache>();
        (await second.WithDb(async db => (await cache.GetAsync(db, mapId, CancellationToken.None))!.Value.Evidence)).Count.Should().Be(6);
        (cache.LoadsFromFile, cache.Rebuilds).Should().Be((1, 0));
    }

    private static Task<MapEvidence> Saved(JourneyFeedbackApp app, Guid mapId, string file) => app.WithDb(async db =>
    {
        var state = (await MapEvidence.StateAsync(db, mapId, CancellationToken.None))!;
        return (await MapEvidence.LoadSavedAsync(db, mapId, file, state, CancellationToken.None))!;
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
