using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JourneyFeedback.Analysis.Matching;
using JourneyFeedback.Api.Insights;
using JourneyFeedback.Api.Semantic;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>The API with the semantic tier on, polling fast and refreshing themes at once (the encoder loads once per class).</summary>
public sealed class SemanticTierApp() : JourneyFeedbackApp(new Dictionary<string, string?>
{
    ["Semantic:Enabled"] = "true",
    ["Semantic:PollSeconds"] = "1",
    ["Semantic:ThemeRefreshSeconds"] = "0",
    ["Matching:WorkerPollSeconds"] = "1",
});

/// <summary>
/// The semantic tier through the API: the encoder's second opinion on inbox items, a confirmation reaching the next
/// semantic placement, and pain-point themes found by meaning with readable, unique names and stable ids.
/// </summary>
public sealed class SemanticTierTests(SemanticTierApp app) : IClassFixture<SemanticTierApp>
{
    private sealed record Journey(TestWorkspace Workspace, Guid MapId, Dictionary<string, Guid> Touchpoints)
    {
        public HttpClient Author => Workspace.As("author");
        public HttpClient Researcher => Workspace.As("researcher");
    }

    private async Task<Journey> NewJourney()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var touchpoints = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => Guid.Parse(t!["id"]!.GetValue<string>()));
        return new Journey(workspace, Guid.Parse(map["id"]!.GetValue<string>()), touchpoints);
    }

    private static Task<JsonObject> Import(Journey journey, string csv) =>
        ImportRuns.Run(journey.Researcher, $"{Guid.NewGuid():N}.csv", csv, "review", new() { ["mapId"] = journey.MapId.ToString() });

    private sealed record Placement(string? ExternalId, Guid? TouchpointId, string? Reason, double? Confidence, bool Embedded, bool Judged);

    /// <summary>Where each item of the map is once the matching and semantic workers have nothing left to do.</summary>
    private async Task<Dictionary<string, Placement>> SettledPlacements(Journey journey, Func<Dictionary<string, Placement>, bool>? until = null)
    {
        Dictionary<string, Placement> placements = [];
        for (var attempt = 0; attempt < 600; attempt++)
        {
            placements = await app.WithDb(async db =>
            {
                var embedded = await db.ItemEmbeddings.AsNoTracking().Where(e => e.MapId == journey.MapId).ToDictionaryAsync(e => e.ItemId, e => e.JudgedAt != null);
                var items = await db.FeedbackItems.AsNoTracking().Where(f => f.MapId == journey.MapId)
                    .Select(f => new { f.Id, f.ExternalId, f.TouchpointId, f.MatchReason, f.MatchConfidence, f.MatchedAt }).ToListAsync();
                if (items.Any(i => i.MatchedAt == null)) return [];
                return items.ToDictionary(i => i.ExternalId ?? i.Id.ToString(), i => new Placement(i.ExternalId, i.TouchpointId, i.MatchReason,
                    i.MatchConfidence, embedded.ContainsKey(i.Id), embedded.GetValueOrDefault(i.Id)));
            });
            if (placements.Count > 0 && placements.Values.All(p => p.Reason is "manual" || (p.Embedded && p.Judged)) && (until is null || until(placements)))
                return placements;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The semantic tier did not settle: {string.Join("; ", placements.Values)}");
    }

    [Fact]
    public async Task AnInboxItemGetsTheEncodersSecondOpinionAndMovesOutOfTheInbox()
    {
        var journey = await NewJourney();
        const string paraphrase = "Sent the shoes back three weeks ago and still no money.";
        // Nothing in the text names the touchpoint: the lexical matcher leaves it in the inbox.
        var lexical = new TouchpointMatcher(MatchingEvaluator.ReadMap(Path.Combine(AppContext.BaseDirectory, "samples", "maps", "ecommerce-journey.json")));
        lexical.Match(new MatchInput(paraphrase)).TouchpointId.Should().BeNull("the premise: the words alone are not enough");

        await Import(journey, $"id,text\np1,\"{paraphrase}\"\nn1,\"the glorbix widget zapped\"\n");
        var placed = await SettledPlacements(journey);

        placed["p1"].TouchpointId.Should().Be(journey.Touchpoints["Returns"], "the encoder knows that sending shoes back for money is a return");
        placed["p1"].Reason.Should().Be(MatchReasons.Semantic);
        placed["n1"].TouchpointId.Should().BeNull("nonsense stays in the inbox: the second opinion is not a guess at any price");
        var inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        inbox["items"]!.AsArray().Select(i => i!["item"]!["externalId"]!.GetValue<string>()).Should().Equal("n1");
        // Once every item is embedded the tier places them all once more (self-training), so the count can rise again
        // for a moment after the first placement: it ends at zero.
        for (var attempt = 0; attempt < 300 && inbox["pendingSemantic"]!.GetValue<int>() != 0; attempt++)
        {
            await Task.Delay(100);
            inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        }
        inbox["pendingSemantic"]!.GetValue<int>().Should().Be(0, "the tier has embedded and placed every item of the map");
        inbox["items"]!.AsArray().Select(i => i!["item"]!["externalId"]!.GetValue<string>()).Should().Equal("n1");
    }

    [Fact]
    public async Task TheEnglishEncoderLeavesItemsInOtherLanguagesToTheWordMatchers()
    {
        var journey = await NewJourney();
        await Import(journey, "id,text\n"
            + "e1,\"Sent the shoes back three weeks ago and still no money.\"\n"
            + "p1,\"Odesłałam buty trzy tygodnie temu i nadal nie dostałam pieniędzy z powrotem.\"\n");
        Dictionary<string, Placement> placed = [];
        for (var attempt = 0; attempt < 600; attempt++)
        {
            placed = await SettledPlacementsOf(journey);
            if (placed.TryGetValue("e1", out var english) && english.Embedded && english.Judged) break;
            await Task.Delay(100);
        }
        placed["e1"].Reason.Should().Be(MatchReasons.Semantic, "the premise: the tier ran on this map");
        (await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == journey.MapId && f.ExternalId == "p1").Select(f => f.DetectedLanguage).SingleAsync()))
            .Should().Be("pl", "the premise: the item is known to be Polish (analysed in the import), and was in the tier's first batch with e1");
        placed["p1"].Embedded.Should().BeFalse("an English encoder's vector of Polish text is noise");
        placed["p1"].TouchpointId.Should().BeNull("no word of the map is in the Polish text, and no second opinion pretends otherwise");
        // The tier places its items once more after the first placement (self-training), so e1 can count as pending for a
        // moment; the Polish item must not keep the count above zero.
        var inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        for (var attempt = 0; attempt < 300 && inbox["pendingSemantic"]!.GetValue<int>() != 0; attempt++)
        {
            await Task.Delay(100);
            inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        }
        inbox["pendingSemantic"]!.GetValue<int>().Should().Be(0, "the Polish item is not waiting for the tier");
        inbox["items"]!.AsArray().Select(i => i!["item"]!["externalId"]!.GetValue<string>()).Should().Equal("p1");
    }

    private Task<Dictionary<string, Placement>> SettledPlacementsOf(Journey journey) => app.WithDb(async db =>
    {
        var embedded = await db.ItemEmbeddings.AsNoTracking().Where(e => e.MapId == journey.MapId).ToDictionaryAsync(e => e.ItemId, e => e.JudgedAt != null);
        var items = await db.FeedbackItems.AsNoTracking().Where(f => f.MapId == journey.MapId)
            .Select(f => new { f.Id, f.ExternalId, f.TouchpointId, f.MatchReason, f.MatchConfidence, f.MatchedAt }).ToListAsync();
        return items.Where(i => i.MatchedAt != null).ToDictionary(i => i.ExternalId ?? i.Id.ToString(), i => new Placement(i.ExternalId, i.TouchpointId,
            i.MatchReason, i.MatchConfidence, embedded.ContainsKey(i.Id), embedded.GetValueOrDefault(i.Id)));
    });

    [Fact]
    public async Task AConfirmationReachesTheNextSemanticPlacement()
    {
        var journey = await NewJourney();
        // A made-up product problem: neither the map's words nor general knowledge says where it belongs.
        await Import(journey, "id,text\nq1,\"The flux capacitor strap snapped\"\nq2,\"My flux capacitor strap snapped on day two\"\n");
        var before = await SettledPlacements(journey);
        before["q2"].TouchpointId.Should().NotBe(journey.Touchpoints["Returns"], "the premise: nothing says Returns yet");

        var itemId = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == journey.MapId && f.ExternalId == "q1").Select(f => f.Id).SingleAsync());
        (await journey.Author.PatchAsJsonAsync($"/api/evidence/{itemId}", new { touchpointId = journey.Touchpoints["Returns"] }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var after = await SettledPlacements(journey, p => p["q2"].TouchpointId == journey.Touchpoints["Returns"]);
        after["q2"].Reason.Should().Be(MatchReasons.Semantic, "the embedded item was placed again by the semantic matcher, which learned the confirmation");
        after["q1"].Reason.Should().Be(MatchReasons.Manual);
    }

    [Fact]
    public async Task OnceEachTouchpointHasFiveConfirmationsATopicTheMapLacksStaysInTheInbox()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), JsonNode.Parse("""
            { "name": "Orders", "goal": "Get it and keep it", "template": "current-state",
              "stages": [ { "name": "After the order", "touchpoints": [
                { "name": "Delivery", "channel": "courier", "phase": "post-purchase", "description": "Getting the parcel to the door. Tracking and couriers.", "keywords": ["parcel", "tracking"] },
                { "name": "Checkout payment", "channel": "checkout", "phase": "purchase", "description": "Paying for the order by card or PayPal.", "keywords": ["card declined", "pay"] },
                { "name": "Returns & refunds", "channel": "returns", "phase": "post-purchase", "description": "Sending items back and getting the money refunded.", "keywords": ["return", "refund"] } ] } ] }
            """)!.AsObject());
        var touchpoints = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => Guid.Parse(t!["id"]!.GetValue<string>()));
        var journey = new Journey(workspace, Guid.Parse(map["id"]!.GetValue<string>()), touchpoints);
        (string Touchpoint, string Text)[] confirmations =
        [
            ("Delivery", "parcel arrived a week late"), ("Delivery", "courier left my box outside in the rain"), ("Delivery", "tracking said delivered but nothing came"),
            ("Delivery", "the delivery driver was rude"), ("Delivery", "package was damaged in transit"),
            ("Checkout payment", "my card was declined at checkout"), ("Checkout payment", "PayPal payment failed twice"), ("Checkout payment", "I was charged twice for one order"),
            ("Checkout payment", "couldn't pay with Apple Pay"), ("Checkout payment", "the payment page kept timing out"),
            ("Returns & refunds", "still waiting for my refund"), ("Returns & refunds", "the return label didn't print"), ("Returns & refunds", "sent the shoes back a month ago, no money yet"),
            ("Returns & refunds", "returns portal would not accept my order number"), ("Returns & refunds", "refund was less than I paid"),
        ];
        await Import(journey, "id,text\n" + string.Concat(confirmations.Select((c, i) => $"c{i},\"{c.Text}\"\n"))
            + "in1,\"the courier threw my parcel over the fence\"\nout1,\"the new store in town has a lovely coffee bar\"\n"
            + "out2,\"please stop sending me marketing emails every day\"\n");
        await SettledPlacements(journey);

        var ids = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == journey.MapId).ToDictionaryAsync(f => f.ExternalId!, f => f.Id));
        for (var i = 0; i < confirmations.Length; i++)
            (await journey.Author.PatchAsJsonAsync($"/api/evidence/{ids[$"c{i}"]}", new { touchpointId = touchpoints[confirmations[i].Touchpoint] }))
                .StatusCode.Should().Be(HttpStatusCode.OK);

        // Settled once the tier has placed the map again with the fifteen confirmations (the in-map text goes by meaning).
        var placed = await SettledPlacements(journey, p => p["in1"].Reason == MatchReasons.Semantic && p["in1"].TouchpointId == touchpoints["Delivery"]);
        placed["out1"].TouchpointId.Should().BeNull("nothing the author confirmed is about a coffee bar");
        placed["out2"].TouchpointId.Should().BeNull("nor about marketing e-mails");
        var inbox = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        var waiting = inbox["items"]!.AsArray().ToDictionary(i => i!["item"]!["externalId"]!.GetValue<string>(), i => i!);
        waiting.Keys.Should().BeEquivalentTo(["out1", "out2"]);
        waiting.Values.Should().OnlyContain(i => i["bestGuessTouchpointId"] != null, "the author still sees the nearest touchpoint");
    }

    [Fact]
    public async Task PainPointThemesAreFoundByMeaningNamedFromTheirItemsAndKeepTheirIds()
    {
        var journey = await NewJourney();
        var rows = DeliveryComplaints.Late.Select((t, i) => $"l{i},\"{t}\"").Concat(DeliveryComplaints.Damaged.Select((t, i) => $"d{i},\"{t}\""));
        await Import(journey, "id,channel,text\n" + string.Join('\n', rows.Select(r => r.Insert(r.IndexOf(',') + 1, "delivery,"))) + "\n");

        var first = await SettledThemes(journey, themes => themes.Count >= 2);
        first.Should().OnlyContain(t => t["count"]!.GetValue<int>() >= 5, "a theme is a group, not a stray item");
        first.Select(t => t["name"]!.GetValue<string>().ToLowerInvariant()).Should().OnlyHaveUniqueItems("no two themes on a touchpoint share a name");
        foreach (var theme in first)
        {
            var name = theme["name"]!.GetValue<string>();
            name.Should().NotBe(theme["category"]!.GetValue<string>()).And.NotBe(theme["category"]!.GetValue<string>().Replace('-', ' '));
            theme["themeId"]!.GetValue<Guid>().Should().NotBeEmpty();
            theme["computedAt"].Should().NotBeNull();
        }

        // More of the same: the themes are recomputed and keep their ids.
        var computed = first.Max(t => t["computedAt"]!.GetValue<DateTime>());
        Task<DateTime?> ThemesComputedAt() => app.WithDb(db => db.Maps.Where(m => m.Id == journey.MapId).Select(m => m.ThemesComputedAt).SingleAsync());
        var before = await ThemesComputedAt();
        await Import(journey, "id,channel,text\nl9,delivery,\"The courier brought my parcel twelve days late.\"\nd9,delivery,\"Box arrived crushed and the shoes were damaged.\"\n");

        // No one reads the map meanwhile: the theme refresh itself brings the snapshot this instance holds up to date.
        var cache = app.Services.GetRequiredService<MapEvidenceCache>();
        for (var attempt = 0; await ThemesComputedAt() is var now && (now == before || cache.Held(journey.MapId)?.ThemesComputedAt != now); attempt++)
        {
            attempt.Should().BeLessThan(600, "the snapshot follows the theme refresh without a reader");
            await Task.Delay(100);
        }
        var second = await SettledThemes(journey, themes => themes.All(t => t["computedAt"]!.GetValue<DateTime>() > computed)
            && themes.Sum(t => t["count"]!.GetValue<int>()) > first.Sum(t => t["count"]!.GetValue<int>()));
        second.Select(t => t["themeId"]!.GetValue<Guid>()).Should().BeEquivalentTo(first.Select(t => t["themeId"]!.GetValue<Guid>()),
            "membership stayed mostly the same, so the themes are the same themes");
    }

    private async Task<List<JsonObject>> SettledThemes(Journey journey, Func<List<JsonObject>, bool> until)
    {
        List<JsonObject> themes = [];
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var insights = await (await journey.Author.GetAsync($"/api/maps/{journey.MapId}/insights?themes=20")).ReadJson(HttpStatusCode.OK);
            var delivery = insights["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
                .Single(t => t!["name"]!.GetValue<string>() == "Delivery")!;
            themes = delivery["painPoints"]!.AsArray().Select(t => t!.AsObject()).ToList();
            // Items no group took stay in category themes (no themeId); only the themes found by meaning are judged here.
            themes = themes.Where(t => t["themeId"] is not null).ToList();
            if (until(themes)) return themes;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Themes did not settle: {string.Join("; ", themes.Select(t => t.ToJsonString()))}");
    }
}

/// <summary>The tier on but asleep (it looks for work once an hour): what it still has to do stays visible.</summary>
public sealed class SleepingSemanticTierApp() : JourneyFeedbackApp(new Dictionary<string, string?>
{
    ["Semantic:Enabled"] = "true",
    ["Semantic:PollSeconds"] = "3600",
});

/// <summary>The sleeping tier, and its rounds driven by hand where a test needs to step between a round's read and its write.</summary>
public sealed class SemanticProgressTests(SleepingSemanticTierApp app) : IClassFixture<SleepingSemanticTierApp>
{
    [Fact]
    public async Task AConfirmationBetweenARoundsReadAndItsWriteIsLearntByTheNextRound()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var map = await SampleMaps.CreateAsync(author, SampleMaps.Ecommerce());
        var mapId = Guid.Parse(map["id"]!.GetValue<string>());
        var returns = map["stages"]!.AsArray().SelectMany(s => s!["touchpoints"]!.AsArray())
            .Single(t => t!["name"]!.GetValue<string>() == "Returns")!["id"]!.GetValue<Guid>();
        // A made-up product problem: neither the map's words nor general knowledge says where it belongs.
        await ImportRuns.Run(workspace.As("researcher"), "flux.csv",
            "id,text\nq1,\"The flux capacitor strap snapped\"\nq2,\"My flux capacitor strap snapped on day two\"\n", "review",
            new() { ["mapId"] = mapId.ToString() });
        var worker = app.Services.GetRequiredService<SemanticWorker>();
        await app.WithDb(async db =>
        {
            while (await worker.EmbedAndPlaceAsync(db, CancellationToken.None) > 0) { }
            while (await worker.RejudgeAsync(db, CancellationToken.None) > 0) { }
            return 0;
        });
        var q2 = await app.WithDb(db => db.FeedbackItems.AsNoTracking().SingleAsync(f => f.MapId == mapId && f.ExternalId == "q2"));
        q2.TouchpointId.Should().NotBe(returns, "the premise: nothing says Returns yet");

        // The map's embedded items are queued again (as a rematch does); the author confirms q1 on Returns just after
        // the round has read them and built its matcher, before it writes.
        await app.WithDb(db => db.ItemEmbeddings.Where(e => e.MapId == mapId).ExecuteUpdateAsync(u => u.SetProperty(e => e.JudgedAt, (DateTime?)null)));
        var q1 = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == mapId && f.ExternalId == "q1").Select(f => f.Id).SingleAsync());
        var confirm = new BeforeFirstTransaction(async () =>
            (await author.PatchAsJsonAsync($"/api/evidence/{q1}", new { touchpointId = returns })).StatusCode.Should().Be(HttpStatusCode.OK));
        await using (var db = app.DbWith(confirm))
            (await worker.RejudgeAsync(db, CancellationToken.None)).Should().Be(0, "the round's matcher does not know the confirmation: it writes nothing");
        confirm.Ran.Should().BeTrue("the premise: the confirmation landed inside the round");

        (await app.WithDb(db => db.ItemEmbeddings.CountAsync(e => e.MapId == mapId && e.JudgedAt == null))).Should().Be(2, "both stay queued");
        await app.WithDb(db => worker.RejudgeAsync(db, CancellationToken.None));
        q2 = await app.WithDb(db => db.FeedbackItems.AsNoTracking().SingleAsync(f => f.MapId == mapId && f.ExternalId == "q2"));
        q2.TouchpointId.Should().Be(returns, "the next round's matcher learnt the confirmation");
        q2.MatchReason.Should().Be(MatchReasons.Semantic);
    }

    /// <summary>
    /// Two instances can refresh one map's themes at once: a claim goes stale after Semantic:ThemeRefreshSeconds, and a big
    /// map's refresh takes longer. The one that computed from the themes before the other's commit must not write: its new
    /// themes' ids come from their members, so with the same members its commit failed on the other's rows (here, without
    /// the check), and with members that differ by one late item it would add a second theme of the same name.
    /// </summary>
    [Fact]
    public async Task ARefreshOvertakenByAnotherRefreshOfTheMapWritesNothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var map = await SampleMaps.CreateAsync(workspace.As("author"), SampleMaps.Ecommerce());
        var mapId = Guid.Parse(map["id"]!.GetValue<string>());
        await ImportRuns.Run(workspace.As("researcher"), "complaints.csv",
            "id,channel,text\n" + string.Join('\n', DeliveryComplaints.Late.Concat(DeliveryComplaints.Damaged).Select((t, i) => $"c{i},delivery,\"{t}\"")) + "\n", "review",
            new() { ["mapId"] = mapId.ToString() });
        // Analysed and matched by the workers, then embedded, so the refreshes below only read, compute and write.
        for (var attempt = 0; await app.WithDb(db => db.FeedbackItems.CountAsync(f => f.MapId == mapId && (f.AnalyzedAt == null || f.MatchedAt == null))) > 0; attempt++)
        {
            attempt.Should().BeLessThan(600, "the items are analysed and matched");
            await Task.Delay(100);
        }
        var worker = app.Services.GetRequiredService<SemanticWorker>();
        await app.WithDb(async db =>
        {
            while (await worker.EmbedAndPlaceAsync(db, CancellationToken.None) > 0) { }
            return 0;
        });

        // The other instance's refresh commits after this one has read the map's themes and items, before it writes.
        var refresh = app.Services.GetRequiredService<ThemeRefresh>();
        var overtaking = new BeforeFirstTransaction(() => app.WithDb(db => refresh.RefreshAsync(db, mapId, workspace.Id, CancellationToken.None)));
        await using (var db = app.DbWith(overtaking))
            await refresh.RefreshAsync(db, mapId, workspace.Id, CancellationToken.None);
        overtaking.Ran.Should().BeTrue("the premise: the other refresh ran inside this one");

        var themes = await app.WithDb(db => db.Themes.AsNoTracking().Where(t => t.MapId == mapId).ToListAsync());
        themes.Should().NotBeEmpty("the premise: the complaints form themes");
        foreach (var touchpoint in themes.GroupBy(t => t.TouchpointId))
            touchpoint.Select(t => t.Name).Should().OnlyHaveUniqueItems("each theme once, as the refresh that committed found it");
        var members = await app.WithDb(db => db.FeedbackItems.Where(f => f.MapId == mapId && f.ThemeId != null).Select(f => f.ThemeId!.Value).ToListAsync());
        members.Should().OnlyContain(id => themes.Any(t => t.Id == id));
        foreach (var theme in themes)
            theme.Items.Should().Be(members.Count(id => id == theme.Id), $"theme {theme.Name} counts its own items");
    }

    /// <summary>Runs <paramref name="step"/> once, just before the context's first transaction begins.</summary>
    private sealed class BeforeFirstTransaction(Func<Task> step) : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
    {
        public bool Ran { get; private set; }

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbTransaction>> TransactionStartingAsync(
            System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.TransactionStartingEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbTransaction> result, CancellationToken ct = default)
        {
            if (!Ran)
            {
                Ran = true;
                await step();
            }
            return result;
        }
    }

    [Fact]
    public async Task TheInboxSaysHowManyItemsTheSemanticTierStillHasToSee()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var author = workspace.As("author");
        var map = await SampleMaps.CreateAsync(author, SampleMaps.Ecommerce());
        var mapId = map["id"]!.GetValue<string>();
        await ImportRuns.Run(workspace.As("researcher"), "three.csv", "id,text\na,\"parcel late\"\nb,\"refund missing\"\nc,\"glorbix\"\n", "review",
            new() { ["mapId"] = mapId });

        var inbox = await (await author.GetAsync($"/api/maps/{mapId}/unassigned")).ReadJson(HttpStatusCode.OK);
        inbox["pendingSemantic"]!.GetValue<int>().Should().Be(3, "none of the map's items has been embedded yet");
    }
}

/// <summary>Delivery complaints of two issues (late, damaged), seven each: enough for two themes of the semantic tier.</summary>
internal static class DeliveryComplaints
{
    public static readonly string[] Late =
    [
        "Two weeks waiting for a courier who kept saying the parcel was late.",
        "My order turned up nine days late, the courier did not care.",
        "My parcel arrived two weeks late and the courier never called.",
        "The courier delivered my order ten days after the promised date.",
        "Delivery was over a week late, very disappointed with the courier.",
        "Parcel came a fortnight late, the courier kept postponing.",
        "My order was delivered very late by the courier, almost two weeks.",
    ];

    public static readonly string[] Damaged =
    [
        "The parcel was crushed and my new shoes were damaged inside.",
        "Box arrived smashed in, the shoes inside got damaged.",
        "The box was crushed and the shoes inside were damaged in transit.",
        "Parcel arrived damaged, the package was torn open by the courier.",
        "My delivery came with a smashed box and scuffed shoes.",
        "The package was badly damaged when it was delivered.",
        "Shoes arrived damaged because the parcel was crushed in delivery.",
    ];
}
