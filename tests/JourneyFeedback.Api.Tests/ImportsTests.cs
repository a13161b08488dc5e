using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

public sealed class ImportsTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    static ImportsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private async Task<HttpClient> Researcher() => (await app.CreateWorkspaceAsync()).As("researcher");

    private static async Task<JsonArray> Evidence(HttpClient client, string query = "") =>
        (await (await client.GetAsync($"/api/evidence?pageSize=500{query}")).ReadJson(HttpStatusCode.OK))["items"]!.AsArray();

    [Theory]
    [InlineData("support-log.csv", "support-log", "utf-8", ",", 12, 11, 1)]
    [InlineData("complaints-cee-windows1250.csv", "complaint-log", "windows-1250", ";", 6, 6, 0)]
    [InlineData("google-play-reviews-utf16.csv", "review", "utf-16le", ",", 5, 5, 0)]
    [InlineData("app-reviews-it-windows1252.csv", "review", "windows-1252", ",", 4, 4, 0)]
    [InlineData("interviews-tab.tsv", "interview", "utf-8-bom", "\t", 5, 5, 0)]
    public async Task EverySampleImportsWithItsDetectedSettings(string file, string kind, string encoding, string delimiter, int rows, int imported, int rejected)
    {
        var client = await Researcher();
        var status = await ImportRuns.Run(client, file, await File.ReadAllBytesAsync(ImportRuns.Sample(file)), kind);

        status["status"]!.GetValue<string>().Should().Be("succeeded", status.ToJsonString());
        status["detectedEncoding"]!.GetValue<string>().Should().Be(encoding);
        status["detectedDelimiter"]!.GetValue<string>().Should().Be(delimiter);
        status["rowsRead"]!.GetValue<int>().Should().Be(rows);
        status["imported"]!.GetValue<int>().Should().Be(imported);
        status["rejected"]!.GetValue<int>().Should().Be(rejected);
        status["skippedDuplicates"]!.GetValue<int>().Should().Be(0);
        status["percentDone"]!.GetValue<double>().Should().Be(100);
        (await Evidence(client, $"&importId={status["id"]}")).Should().HaveCount(imported);
    }

    [Fact]
    public async Task TextInEveryEncodingComesThroughIntact()
    {
        var client = await Researcher();
        foreach (var file in new[] { "complaints-cee-windows1250.csv", "app-reviews-it-windows1252.csv", "google-play-reviews-utf16.csv" })
            await ImportRuns.Run(client, file, await File.ReadAllBytesAsync(ImportRuns.Sample(file)), "review");

        var texts = (await Evidence(client)).Select(i => i!["text"]!.GetValue<string>()).ToList();
        texts.Should().Contain("Paczka dotarła uszkodzona, buty są porysowane. Żądam zwrotu pieniędzy.");
        texts.Should().Contain("Kurier nie przyszedł, a w śledzeniu przesyłki jest napisane „doręczono”. Źle!");
        texts.Should().Contain("Coletul a ajuns cu o săptămână întârziere şi nimeni nu a răspuns la telefon.");
        texts.Should().Contain("L'app è comoda, però la ricerca per taglia non funziona sempre.");
        texts.Should().Contain("Il pagamento con PayPal non funziona più, è un problema serio.");
        texts.Should().Contain("Seit drei Wochen warte ich auf meine Rückerstattung. Schlechter Service.");
    }

    [Fact]
    public async Task RomanianAndItalianInUtf8WithCommaBelowLettersStayIntact()
    {
        var client = await Researcher();
        const string csv = "id;text;date\n1;\"Livrarea a întârziat; coletul e deteriorat, vă rog rambursaţi-mi banii. Ș ț ș ț ă â î\";2026-10-01\n2;Perché è così lento? à è ì ò ù;2026-10-02\n";
        var status = await ImportRuns.Run(client, "ro-it.csv", csv);
        status["imported"]!.GetValue<int>().Should().Be(2);
        var texts = (await Evidence(client)).Select(i => i!["text"]!.GetValue<string>()).ToList();
        texts.Should().Contain("Livrarea a întârziat; coletul e deteriorat, vă rog rambursaţi-mi banii. Ș ț ș ț ă â î");
        texts.Should().Contain("Perché è così lento? à è ì ò ù");
    }

    [Fact]
    public async Task EveryItemKeepsItsOriginWithThePhysicalLineWhereTheRecordStarts()
    {
        var client = await Researcher();
        var status = await ImportRuns.Run(client, "support-log.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("support-log.csv")));
        var items = await Evidence(client);

        var declined = items.Single(i => i!["externalId"]!.GetValue<string>() == "ZD-10233")!;
        declined["origin"]!["type"]!.GetValue<string>().Should().Be("import");
        declined["origin"]!["fileName"]!.GetValue<string>().Should().Be("support-log.csv");
        declined["origin"]!["importId"]!.GetValue<string>().Should().Be(status["id"]!.GetValue<string>());
        declined["origin"]!["lineNumber"]!.GetValue<int>().Should().Be(4);
        declined["text"]!.GetValue<string>().Should().Contain("\"payment declined\"").And.Contain("\nTried twice");
        var after = items.Single(i => i!["externalId"]!.GetValue<string>() == "ZD-10234")!;
        after["origin"]!["lineNumber"]!.GetValue<int>().Should().Be(6, "the record before spans lines 4 and 5");
        after["metadata"]!["agent"]!.GetValue<string>().Should().Be("Marta", "unmapped columns are kept as metadata");
        after["title"]!.GetValue<string>().Should().Be("Size advice");
        after["channel"]!.GetValue<string>().Should().Be("chat");
        after["occurredAt"]!.GetValue<DateTime>().Should().Be(new DateTime(2026, 10, 2, 11, 30, 0, DateTimeKind.Utc));

        var hashes = await app.WithDb(db => db.FeedbackItems.Where(f => f.ImportId == Guid.Parse(status["id"]!.GetValue<string>()))
            .Select(f => f.ContentHash).ToListAsync());
        hashes.Should().OnlyContain(h => h != null && h.Length == 64).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task ReimportingTheSameOrAnOverlappingFileCreatesNoDuplicates()
    {
        var client = await Researcher();
        const string first = "id,text,date\nA1,Parcel late,2026-10-01\nA2,Refund missing,2026-10-02\nA3,Card declined,2026-10-03\n";
        const string overlapping = "id,text,date\nA2,Refund missing,2026-10-02\nA3,Card declined,2026-10-03\nA4,App crashes,2026-10-04\n";
        const string withoutIds = "text,date\nSame words twice,2026-10-05\nSame words twice,2026-10-05\nOther words,2026-10-05\n";

        (await ImportRuns.Run(client, "a.csv", first))["imported"]!.GetValue<int>().Should().Be(3);
        var again = await ImportRuns.Run(client, "a.csv", first);
        again["imported"]!.GetValue<int>().Should().Be(0);
        again["skippedDuplicates"]!.GetValue<int>().Should().Be(3);
        var overlap = await ImportRuns.Run(client, "b.csv", overlapping);
        overlap["imported"]!.GetValue<int>().Should().Be(1);
        overlap["skippedDuplicates"]!.GetValue<int>().Should().Be(2);
        var hashed = await ImportRuns.Run(client, "c.csv", withoutIds);
        hashed["imported"]!.GetValue<int>().Should().Be(2, "without an id, the content hash decides");
        hashed["skippedDuplicates"]!.GetValue<int>().Should().Be(1);
        (await Evidence(client)).Should().HaveCount(6);
    }

    [Fact]
    public async Task DuplicatesAreOnlyDetectedWithinAWorkspace()
    {
        const string csv = "id,text\nX1,Shared text\n";
        var one = await Researcher();
        var two = await Researcher();
        (await ImportRuns.Run(one, "x.csv", csv))["imported"]!.GetValue<int>().Should().Be(1);
        (await ImportRuns.Run(two, "x.csv", csv))["imported"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task DryRunAnswersAtOnceWithSettingsMappingAndFirstRowsAndStoresNothing()
    {
        var client = await Researcher();
        var rows = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"T-{i};{i:00}.10.2026 10:00;Message number {i}; user{i}@example.com"));
        var response = await ImportRuns.Upload(client, "log.csv", $"Ticket;Created;Message;Contact\n{rows}\n", fields: new() { ["dryRun"] = "true" });

        var preview = await response.ReadJson(HttpStatusCode.OK);
        preview["detectedEncoding"]!.GetValue<string>().Should().Be("utf-8");
        preview["detectedDelimiter"]!.GetValue<string>().Should().Be(";");
        preview["mapping"]!["text"]!.GetValue<string>().Should().Be("Message");
        preview["mapping"]!["externalId"]!.GetValue<string>().Should().Be("Ticket");
        preview["mapping"]!["occurredAt"]!.GetValue<string>().Should().Be("Created");
        preview["unmappedColumns"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("Contact");
        var previewRows = preview["rows"]!.AsArray();
        previewRows.Should().HaveCount(20);
        previewRows[0]!["line"]!.GetValue<int>().Should().Be(2);
        previewRows[0]!["occurredAt"]!.GetValue<DateTime>().Should().Be(new DateTime(2026, 10, 1, 10, 0, 0, DateTimeKind.Utc));
        previewRows[0]!["metadata"]!.GetValue<string>().Should().Contain("[email]");

        (await client.GetFromJsonAsync<JsonArray>("/api/imports"))!.Should().BeEmpty();
        (await Evidence(client)).Should().BeEmpty();
    }

    [Fact]
    public async Task ExplicitMappingAndDateFormatWin()
    {
        var client = await Researcher();
        const string csv = "Nr;Kiedy;Opis;Ocena\n1;03/04/2026;Kurier się spóźnił;2\n2;05/04/2026;Wszystko super;5\n";
        var mapping = """{"columns":{"Nr":"externalId","Kiedy":"occurredAt","Opis":"text","Ocena":"rating"},"dateFormat":"dd/MM/yyyy","ratingScale":5}""";
        var status = await ImportRuns.Run(client, "pl.csv", csv, "review", new() { ["mapping"] = mapping });
        status["imported"]!.GetValue<int>().Should().Be(2);
        status["mapping"]!["text"]!.GetValue<string>().Should().Be("Opis");
        var item = (await Evidence(client)).Single(i => i!["externalId"]!.GetValue<string>() == "1")!;
        item["occurredAt"]!.GetValue<DateTime>().Should().Be(new DateTime(2026, 4, 3, 0, 0, 0, DateTimeKind.Utc));
        item["rating"]!.GetValue<double>().Should().Be(2);
        item["ratingScale"]!.GetValue<double>().Should().Be(5);
    }

    [Fact]
    public async Task AmbiguousSlashDatesAreRejectedWithAHintUnlessTheMappingStatesTheFormat()
    {
        var client = await Researcher();
        const string csv = "text,date\nFirst,03/04/2026\nSecond,05/06/2026\n";
        var status = await ImportRuns.Run(client, "ambiguous.csv", csv);
        status["rejected"]!.GetValue<int>().Should().Be(2);
        status["firstRejectedRows"]![0]!["reason"]!.GetValue<string>().Should().Contain("dateFormat");
        status["firstRejectedRows"]![0]!["column"]!.GetValue<string>().Should().Be("date");

        var stated = await ImportRuns.Run(client, "ambiguous.csv", csv, fields: new() { ["mapping"] = """{"dateFormat":"MM/dd/yyyy"}""" });
        stated["imported"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task EpochDatesAreRead()
    {
        var client = await Researcher();
        var status = await ImportRuns.Run(client, "epoch.csv", "text,timestamp\nSeconds,1790000000\nMillis,1790000000123\n");
        status["imported"]!.GetValue<int>().Should().Be(2);
        var dates = (await Evidence(client)).Select(i => i!["occurredAt"]!.GetValue<DateTime>()).ToList();
        dates.Should().Contain(DateTimeOffset.FromUnixTimeSeconds(1790000000).UtcDateTime);
        dates.Should().Contain(DateTimeOffset.FromUnixTimeMilliseconds(1790000000123).UtcDateTime);
    }

    [Fact]
    public async Task RaggedRowsAreRejectedOneByOneWithTheirLines()
    {
        var client = await Researcher();
        const string csv = "id,text,date\n1,fine,2026-10-01\n2,too,many,fields\n3\n4,fine too,2026-10-02\n5,,2026-10-03\n6,bad date,someday\n";
        var status = await ImportRuns.Run(client, "ragged.csv", csv);

        status["status"]!.GetValue<string>().Should().Be("succeeded");
        status["rowsRead"]!.GetValue<int>().Should().Be(6);
        status["imported"]!.GetValue<int>().Should().Be(2);
        status["rejected"]!.GetValue<int>().Should().Be(4);
        var rejected = status["firstRejectedRows"]!.AsArray();
        rejected.Select(r => r!["line"]!.GetValue<int>()).Should().Equal(3, 4, 6, 7);
        rejected[0]!["reason"]!.GetValue<string>().Should().Contain("4 fields").And.Contain("header has 3");
        rejected[2]!["column"]!.GetValue<string>().Should().Be("text");
        rejected[3]!["column"]!.GetValue<string>().Should().Be("date");
    }

    [Fact]
    public async Task UnterminatedQuoteRejectsTheRecordAtTheLineWhereItStarts()
    {
        var client = await Researcher();
        const string csv = "id,text\n1,first\n2,\"never closed\n3,swallowed\n4,also swallowed\n";
        var status = await ImportRuns.Run(client, "unterminated.csv", csv);
        status["imported"]!.GetValue<int>().Should().Be(1);
        status["rejected"]!.GetValue<int>().Should().Be(1);
        var rejected = status["firstRejectedRows"]![0]!;
        rejected["line"]!.GetValue<int>().Should().Be(3);
        rejected["reason"]!.GetValue<string>().Should().Contain("quoted field");
    }

    [Fact]
    public async Task TenThousandCharacterFieldsImportWhole()
    {
        var client = await Researcher();
        var longText = string.Concat(Enumerable.Repeat("The delivery was late again and nobody told me why. ", 200))[..10_000];
        var csv = $"id,text,notes\n1,\"{longText}\",\"{new string('n', 10_000)}\"\n2,short,\n";
        var status = await ImportRuns.Run(client, "long.csv", csv);
        status["imported"]!.GetValue<int>().Should().Be(2);
        var item = (await Evidence(client)).Single(i => i!["externalId"]!.GetValue<string>() == "1")!;
        item["text"]!.GetValue<string>().Should().HaveLength(10_000);
    }

    [Fact]
    public async Task HeaderOnlyFileSucceedsWithNoRows()
    {
        var status = await ImportRuns.Run(await Researcher(), "empty-rows.csv", "id,text,date\n");
        status["status"]!.GetValue<string>().Should().Be("succeeded");
        status["rowsRead"]!.GetValue<int>().Should().Be(0);
        status["imported"]!.GetValue<int>().Should().Be(0);
    }

    [Theory]
    [InlineData("empty.csv", new byte[0], "file", "empty")]
    [InlineData("image.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52 }, "file", "binary")]
    public async Task FilesThatAreNotCsvAre422WithAClearReason(string name, byte[] content, string field, string reason)
    {
        var client = await Researcher();
        var problem = await (await ImportRuns.Upload(client, name, content)).ShouldNameField(field, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().Should().Contain(reason);
        (await client.GetFromJsonAsync<JsonArray>("/api/imports"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task ProseIsNotCsv()
    {
        var client = await Researcher();
        var prose = "Dear team, I am writing to complain about my order which arrived late and damaged and nobody answered my e-mails for weeks which is unacceptable.\nRegards\n";
        var problem = await (await ImportRuns.Upload(client, "letter.txt", prose)).ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().Should().Contain("CSV");
    }

    [Theory]
    [InlineData("""{"Nope":"text"}""", "no column 'Nope'")]
    [InlineData("""{"text":"sentiment"}""", "unknown field")]
    [InlineData("""not json""", "not valid JSON")]
    public async Task BadMappingsAre422Or400NamingMapping(string mapping, string reason)
    {
        var client = await Researcher();
        var response = await ImportRuns.Upload(client, "m.csv", "id,text\n1,hello\n", fields: new() { ["mapping"] = mapping });
        var status = response.StatusCode == HttpStatusCode.BadRequest ? HttpStatusCode.BadRequest : HttpStatusCode.UnprocessableEntity;
        var problem = await response.ShouldNameField("mapping", status);
        problem["errors"]!["mapping"]![0]!.GetValue<string>().Should().Contain(reason);
    }

    [Fact]
    public async Task AFileWithoutATextColumnNamesTheColumnsItHas()
    {
        var client = await Researcher();
        var problem = await (await ImportRuns.Upload(client, "numbers.csv", "id,amount\n1,20\n")).ShouldNameField("mapping", HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().Should().Contain("'amount'");
    }

    [Theory]
    [InlineData(null, "kind")]
    [InlineData("tweets", "kind")]
    public async Task KindIsRequiredAndChecked(string? kind, string field)
    {
        var client = await Researcher();
        await (await ImportRuns.Upload(client, "a.csv", Encoding.UTF8.GetBytes("text\nhi\n"), kind)).ShouldNameField(field);
    }

    [Fact]
    public async Task MapOfAnotherWorkspaceIsRejected()
    {
        var other = await app.CreateWorkspaceAsync();
        var foreignMap = await SampleMaps.CreateAsync(other.As("author"));
        var client = await Researcher();
        await (await ImportRuns.Upload(client, "a.csv", "text\nhi\n", fields: new() { ["mapId"] = foreignMap["id"]!.GetValue<string>() })).ShouldNameField("mapId");
    }

    [Fact]
    public async Task NotMultipartIs415()
    {
        var client = await Researcher();
        await (await client.PostAsync("/api/imports", new StringContent("text\nhi\n", Encoding.UTF8, "text/csv"))).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task PersonalDataIsRedactedByDefaultAndKeptWhenTheWorkspaceTurnsItOff()
    {
        var workspace = await app.CreateWorkspaceAsync();
        const string csv = "id,text\n1,\"Mail me at anna.kowalska@example.pl or call +48 601 234 567, card 4111 1111 1111 1111 was charged twice\"\n";
        await ImportRuns.Run(workspace.As("researcher"), "pii.csv", csv);
        var redacted = (await Evidence(workspace.As("researcher")))[0]!["text"]!.GetValue<string>();
        redacted.Should().Be("Mail me at [email] or call [phone], card [card] was charged twice");

        (await workspace.As("admin").PatchAsJsonAsync("/api/workspaces/current", new { redactPersonalData = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        await ImportRuns.Run(workspace.As("researcher"), "pii.csv", csv.Replace("1,", "2,", StringComparison.Ordinal));
        var kept = (await Evidence(workspace.As("researcher"), "&q=anna")).Should().ContainSingle().Subject!["text"]!.GetValue<string>();
        kept.Should().Contain("anna.kowalska@example.pl").And.Contain("4111 1111 1111 1111");
    }

    [Fact]
    public async Task PolishComplaintIsStoredWithPeselIbanAndPhoneRedactedAndDiacriticsKept()
    {
        var client = await Researcher();
        const string complaint = "Zwróćcie pieniądze na konto PL61 1090 1014 0000 0712 1981 2874! Mój PESEL: 44051401359, tel. 601234567. Żądam odpowiedzi.";
        var csv = Encoding.GetEncoding(1250).GetBytes($"Complaint ID;Date;Customer;Channel;Description;Country\nPL-900;05.10.2026 10:00;K-90;email;{complaint};PL\n");
        var status = await ImportRuns.Run(client, "reklamacje.csv", csv, "complaint-log");
        status["detectedEncoding"]!.GetValue<string>().Should().Be("windows-1250");

        var items = await Evidence(client);
        items.Should().ContainSingle().Which!["text"]!.GetValue<string>()
            .Should().Be("Zwróćcie pieniądze na konto [iban]! Mój PESEL: [pesel], tel. [phone]. Żądam odpowiedzi.");
        // A piece of the IBAN with its space: a bare "1981" also turns up in timestamps' fractions of a second and in ids.
        items.ToJsonString().Should().NotContain("44051401359").And.NotContain("0712 1981").And.NotContain("601234567");
    }

    [Fact]
    public async Task ErrorsCsvListsEveryRejectedRowAndIsExcelSafe()
    {
        var client = await Researcher();
        var rows = string.Join("\n", Enumerable.Range(1, 30).Select(i => i % 2 == 0 ? $"{i},ok {i}" : $"{i},"));
        var status = await ImportRuns.Run(client, "many-bad.csv", $"id,text\n{rows}\n=cmd,\n");
        status["rejected"]!.GetValue<int>().Should().Be(16);
        status["firstRejectedRows"]!.AsArray().Should().HaveCount(16);

        var response = await client.GetAsync($"/api/imports/{status["id"]}/errors.csv");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("line,column,reason,excerpt");
        lines.Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Should().Equal(Enumerable.Range(1, 31).Where(i => i % 2 == 1).Select(i => i + 1));
        lines[^1].Should().Contain("'=cmd");
    }

    [Fact]
    public async Task EvidenceFiltersByKindSourceCustomerDateAndText()
    {
        var client = await Researcher();
        await ImportRuns.Run(client, "support-log.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("support-log.csv")));
        await ImportRuns.Run(client, "google-play-reviews-utf16.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("google-play-reviews-utf16.csv")), "review");

        (await Evidence(client, "&kind=review")).Should().HaveCount(5);
        (await Evidence(client, "&customerId=C-1003")).Should().ContainSingle();
        (await Evidence(client, "&q=REFUND")).Select(i => i!["externalId"]!.GetValue<string>()).Should().BeEquivalentTo("ZD-10232");
        (await Evidence(client, "&from=2026-10-04&to=2026-10-04")).Should().HaveCount(3, "two support tickets and one review that day");
        var page = await (await client.GetAsync("/api/evidence?page=2&pageSize=10")).ReadJson(HttpStatusCode.OK);
        page["total"]!.GetValue<int>().Should().Be(16);
        page["items"]!.AsArray().Should().HaveCount(6);
        await (await client.GetAsync("/api/evidence?pageSize=5000")).ShouldNameField("pageSize");
    }

    [Fact]
    public async Task FinishedImportsCannotBeCancelledAndUnknownOnesAre404()
    {
        var client = await Researcher();
        var status = await ImportRuns.Run(client, "a.csv", "text\nhello\n");
        await (await client.DeleteAsync($"/api/imports/{status["id"]}")).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await client.DeleteAsync($"/api/imports/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ProgressShowsRowsPerSecondAndAnEstimateOfTheSecondsLeft()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = workspace.As("researcher");

        // A run another instance is processing: a quarter of the file's bytes and 5,000 rows committed 100 s after it
        // started (a fresh heartbeat, so no worker here takes it over).
        var heartbeat = DateTime.UtcNow.AddTicks(-(DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond));
        var import = new JourneyFeedback.Api.Imports.Import
        {
            WorkspaceId = workspace.Id, Kind = "support-log", FileName = "big.csv", FileSize = 1_000_000, Status = "running",
            ClaimedBy = "another-instance", StartedAt = heartbeat.AddSeconds(-100), HeartbeatAt = heartbeat,
            RowsRead = 5_000, BytesRead = 250_000, Imported = 5_000,
        };
        await app.WithDb(async db => { db.Imports.Add(import); return await db.SaveChangesAsync(); });

        var running = await (await client.GetAsync($"/api/imports/{import.Id}")).ReadJson(HttpStatusCode.OK);
        running["percentDone"]!.GetValue<double>().Should().Be(25);
        running["rowsPerSecond"]!.GetValue<double>().Should().Be(50);
        running["estimatedSecondsLeft"]!.GetValue<long>().Should().Be(300, "750,000 bytes left at 2,500 bytes/s");
        (await client.GetFromJsonAsync<JsonArray>("/api/imports"))!.Single()!["estimatedSecondsLeft"]!.GetValue<long>().Should().Be(300);

        // Finished: no estimate, and the rate is the whole run's.
        await app.WithDb(db => db.Imports.Where(i => i.Id == import.Id).ExecuteUpdateAsync(u => u
            .SetProperty(i => i.Status, "cancelled").SetProperty(i => i.FinishedAt, heartbeat.AddSeconds(100))));
        var finished = await (await client.GetAsync($"/api/imports/{import.Id}")).ReadJson(HttpStatusCode.OK);
        finished["rowsPerSecond"]!.GetValue<double>().Should().Be(25);
        finished["estimatedSecondsLeft"].Should().BeNull();

        // A real run ends with its measured rate and no estimate.
        var done = await ImportRuns.Run(client, "a.csv", "text\nhello\nworld\n");
        done["status"]!.GetValue<string>().Should().Be("succeeded");
        done["rowsPerSecond"]!.GetValue<double>().Should().BeGreaterThan(0);
        done["estimatedSecondsLeft"].Should().BeNull();
    }
}
