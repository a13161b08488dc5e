using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>Customer attributes from their three sources (customers imports, feedback rows' metadata, invitations) and how they are read.</summary>
public sealed class CustomersTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    private static Task<JsonObject> ImportCustomers(HttpClient client, string csv) => ImportRuns.Run(client, "customers.csv", csv, "customers");

    private static async Task<JsonObject> Customer(HttpClient client, string customerId) =>
        await (await client.GetAsync($"/api/customers/{Uri.EscapeDataString(customerId)}")).ReadJson(HttpStatusCode.OK);

    private static Dictionary<string, string> Attributes(JsonObject customer) =>
        customer["attributes"]!.AsObject().ToDictionary(a => a.Key, a => a.Value!.GetValue<string>());

    private Task<long> CustomersVersion(TestWorkspace workspace) =>
        app.WithDb(db => db.Workspaces.Where(w => w.Id == workspace.Id).Select(w => w.CustomersVersion).FirstAsync());

    [Fact]
    public async Task ReimportMergesAttributesKeepingKeysTheFileDoesNotNameAndEmptyCellsChangeNothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var researcher = workspace.As("researcher");
        var before = await CustomersVersion(workspace);

        var first = await ImportCustomers(researcher,
            "customer_id,Plan,Country,Tenure Months,Acquisition-Channel\n" +
            "C-1,  Pro   Plus ,PL,14,Paid search\n" +
            "C-2,free,RO,2,Referral\n");
        first["status"]!.GetValue<string>().Should().Be("succeeded", first.ToJsonString());
        first["imported"]!.GetValue<int>().Should().Be(2);
        first["mapping"]!["customerId"]!.GetValue<string>().Should().Be("customer_id");
        Attributes(await Customer(researcher, "C-1")).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["plan"] = "Pro Plus", ["country"] = "PL", ["tenuremonths"] = "14", ["acquisitionchannel"] = "Paid search",
        });
        var afterFirst = await CustomersVersion(workspace);
        afterFirst.Should().BeGreaterThan(before);

        // Another header spelling of the same key overwrites it; an empty cell leaves the value; a new column adds a key.
        var second = await ImportCustomers(researcher,
            "CustomerId,tenure_months,plan,Persona\n" +
            "C-1,15,,Loyal shopper\n" +
            "C-3,1,trial,\n");
        second["imported"]!.GetValue<int>().Should().Be(2);
        Attributes(await Customer(researcher, "C-1")).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["plan"] = "Pro Plus", ["country"] = "PL", ["tenuremonths"] = "15", ["acquisitionchannel"] = "Paid search", ["persona"] = "Loyal shopper",
        });
        Attributes(await Customer(researcher, "C-2")).Should().ContainKey("plan").WhoseValue.Should().Be("free");
        Attributes(await Customer(researcher, "C-3")).Should().BeEquivalentTo(new Dictionary<string, string> { ["tenuremonths"] = "1", ["plan"] = "trial" });
        (await CustomersVersion(workspace)).Should().BeGreaterThan(afterFirst);
        (await app.WithDb(db => db.Customers.CountAsync(c => c.WorkspaceId == workspace.Id))).Should().Be(3);
    }

    [Fact]
    public async Task ARepeatedCustomerInOneFileTakesItsLastRowPerKey()
    {
        var researcher = (await app.CreateWorkspaceAsync()).As("researcher");
        var status = await ImportCustomers(researcher, "id,plan,country\nC-9,free,PL\nC-9,pro,\nC-8,free,DE\n");
        status["status"]!.GetValue<string>().Should().Be("succeeded", status.ToJsonString());
        status["imported"]!.GetValue<int>().Should().Be(3);
        Attributes(await Customer(researcher, "C-9")).Should().BeEquivalentTo(new Dictionary<string, string> { ["plan"] = "pro", ["country"] = "PL" });
    }

    [Fact]
    public async Task ASemicolonFileWithABomAndLocalLettersIsReadAndNormalised()
    {
        var researcher = (await app.CreateWorkspaceAsync()).As("researcher");
        var csv = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            "Client ID;Miasto;Plan taryfowy;Ocena\r\n" +
            "K-100;Łódź;Premium;4,5\r\n" +
            "K-101;Kraków;Basic;3\r\n")).ToArray();
        var status = await ImportRuns.Run(researcher, "klienci.csv", csv, "customers");

        status["status"]!.GetValue<string>().Should().Be("succeeded", status.ToJsonString());
        status["detectedEncoding"]!.GetValue<string>().Should().Be("utf-8-bom");
        status["detectedDelimiter"]!.GetValue<string>().Should().Be(";");
        Attributes(await Customer(researcher, "K-100")).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["miasto"] = "Łódź", ["plantaryfowy"] = "Premium", ["ocena"] = "4,5",
        });
    }

    [Fact]
    public async Task DryRunPreviewsCustomersWithNormalisedAttributesAndStoresNothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var researcher = workspace.As("researcher");
        var response = await ImportRuns.Upload(researcher, "c.csv", "user_id,Tenure Months,Country\nU-1, 12 ,it\nU-2,,DE\n,3,PL\n", "customers",
            new() { ["dryRun"] = "true" });

        var preview = await response.ReadJson(HttpStatusCode.OK);
        preview["mapping"]!["customerId"]!.GetValue<string>().Should().Be("user_id");
        preview["attributeKeys"]!["Tenure Months"]!.GetValue<string>().Should().Be("tenuremonths");
        var customers = preview["customers"]!.AsArray();
        customers.Should().HaveCount(2);
        customers[0]!["customerId"]!.GetValue<string>().Should().Be("U-1");
        customers[0]!["attributes"]!["tenuremonths"]!.GetValue<string>().Should().Be("12");
        customers[1]!["attributes"]!.AsObject().Select(a => a.Key).Should().Equal("country");
        preview["rejected"]!.AsArray().Single()!["line"]!.GetValue<int>().Should().Be(4);

        (await app.WithDb(db => db.Customers.CountAsync(c => c.WorkspaceId == workspace.Id))).Should().Be(0);
        (await app.WithDb(db => db.Imports.CountAsync(i => i.WorkspaceId == workspace.Id))).Should().Be(0);
    }

    [Fact]
    public async Task RowsWithoutAUsableCustomerIdAreRejectedNamingTheirLineAndColumn()
    {
        var researcher = (await app.CreateWorkspaceAsync()).As("researcher");
        var tooLong = new string('x', 201);
        var status = await ImportCustomers(researcher, $"customer,plan\nC-1,pro\n ,free\n{tooLong},pro\nC-2,\"broken\n");

        status["imported"]!.GetValue<int>().Should().Be(1);
        status["rejected"]!.GetValue<int>().Should().Be(3);
        var rejected = status["firstRejectedRows"]!.AsArray();
        rejected[0]!["line"]!.GetValue<int>().Should().Be(3);
        rejected[0]!["column"]!.GetValue<string>().Should().Be("customer");
        rejected[0]!["reason"]!.GetValue<string>().Should().Contain("No customer id");
        rejected[1]!["line"]!.GetValue<int>().Should().Be(4);
        rejected[1]!["reason"]!.GetValue<string>().Should().Contain("201 characters");
        rejected[2]!["line"]!.GetValue<int>().Should().Be(5);
        (await researcher.GetAsync("/api/customers/C-2")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task HeadersThatNormaliseToOneKeyOrTooManyColumnsOrNoIdColumnAreRefusedWhole()
    {
        var researcher = (await app.CreateWorkspaceAsync()).As("researcher");

        var duplicate = await (await ImportRuns.Upload(researcher, "c.csv", "customer_id,Tenure Months,tenure_months\nC-1,3,4\n", "customers"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        duplicate["detail"]!.GetValue<string>().Should().Contain("'Tenure Months'").And.Contain("'tenure_months'").And.Contain("tenuremonths");

        var header = "customer_id," + string.Join(",", Enumerable.Range(1, 101).Select(i => $"a{i}"));
        var wide = await (await ImportRuns.Upload(researcher, "c.csv", $"{header}\nC-1{new string(',', 101)}\n", "customers"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        wide["detail"]!.GetValue<string>().Should().Contain("101 attribute columns").And.Contain("at most 100");

        var noId = await (await ImportRuns.Upload(researcher, "c.csv", "plan,country\npro,PL\n", "customers"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        noId["detail"]!.GetValue<string>().Should().Contain("customer id");

        // The mapping can name the id column when its header is not one of the known names.
        var explicitMapping = await ImportRuns.Run(researcher, "c.csv", "Konto,plan\nK-7,pro\n", "customers",
            new() { ["mapping"] = """{"Konto": "customerId"}""" });
        explicitMapping["imported"]!.GetValue<int>().Should().Be(1);
        Attributes(await Customer(researcher, "K-7")).Should().BeEquivalentTo(new Dictionary<string, string> { ["plan"] = "pro" });
    }

    [Fact]
    public async Task InvitationMetadataBecomesItsCustomersAttributes()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var survey = await (await workspace.As("author").PostAsJsonAsync("/api/surveys", new { type = "nps", name = "Post-chat" }))
            .ReadJson(HttpStatusCode.Created);
        var agent = workspace.As("agent");
        var before = await CustomersVersion(workspace);

        await (await agent.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = new object[]
            {
                new { customerId = " c-1 ", externalRef = "chat-1", metadata = new Dictionary<string, string> { ["Plan Tier"] = " gold ", ["team"] = "EMEA", ["note"] = "" } },
                new { externalRef = "chat-2", metadata = new { plan = "silver" } }, // no customer: nothing to attach it to
                new { customerId = "c-2", externalRef = "chat-3" },
            },
        })).ReadJson(HttpStatusCode.Created);

        Attributes(await Customer(workspace.As("viewer"), "c-1")).Should().BeEquivalentTo(new Dictionary<string, string> { ["plantier"] = "gold", ["team"] = "EMEA" });
        (await workspace.As("viewer").GetAsync("/api/customers/c-2")).StatusCode.Should().Be(HttpStatusCode.NotFound, "an invitation without metadata has no attributes");
        (await app.WithDb(db => db.Customers.CountAsync(c => c.WorkspaceId == workspace.Id))).Should().Be(1);
        var afterFirst = await CustomersVersion(workspace);
        afterFirst.Should().BeGreaterThan(before);

        // A later invitation of the same customer overwrites the keys it names and keeps the others.
        await (await agent.PostAsJsonAsync($"/api/surveys/{survey["id"]}/invitations", new
        {
            recipients = new object[] { new { customerId = "c-1", externalRef = "chat-4", metadata = new { plan_tier = "platinum" } } },
        })).ReadJson(HttpStatusCode.Created);
        Attributes(await Customer(agent, "c-1")).Should().BeEquivalentTo(new Dictionary<string, string> { ["plantier"] = "platinum", ["team"] = "EMEA" });
        (await CustomersVersion(workspace)).Should().BeGreaterThan(afterFirst);
    }

    [Fact]
    public async Task SupportLogMetadataColumnsBecomeTheRowsCustomersAttributes()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var researcher = workspace.As("researcher");
        var before = await CustomersVersion(workspace);

        // By default a log's extra columns describe the ticket, not the customer: they stay the item's metadata only.
        var plain = await ImportRuns.Run(researcher, "support-log.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("support-log.csv")));
        plain["status"]!.GetValue<string>().Should().Be("succeeded");
        (await researcher.GetAsync("/api/customers/C-1001")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await CustomersVersion(workspace)).Should().Be(before);

        // The mapping names the columns that are the customer's: ZD-10231 is C-1001's, agent Ola, priority high.
        var named = await ImportRuns.Run(researcher, "support-log-again.csv", await File.ReadAllBytesAsync(ImportRuns.Sample("support-log.csv")), "support-log",
            new() { ["mapping"] = """{"customerAttributes": ["agent", "priority"]}""" });
        named["status"]!.GetValue<string>().Should().Be("succeeded");
        Attributes(await Customer(researcher, "C-1001")).Should().BeEquivalentTo(new Dictionary<string, string> { ["agent"] = "Ola", ["priority"] = "high" });
        (await CustomersVersion(workspace)).Should().BeGreaterThan(before);

        // A column the file does not have, or one a field takes, is refused before anything is stored.
        var missing = await ImportRuns.Upload(researcher, "bad.csv", "ticket_id,customer_id,message\nZD-9,C-1001,Hello\n", "support-log",
            new() { ["mapping"] = """{"customerAttributes": ["plan"]}""" });
        (await missing.Content.ReadAsStringAsync()).Should().Contain("customerAttributes: 'plan' is not a column of the file");
        missing.IsSuccessStatusCode.Should().BeFalse();

        // ["*"]: every extra column. A later file about the same customer overwrites what it names; a customers import
        // adds what the log never says.
        await ImportRuns.Run(researcher, "later.csv", "ticket_id,customer_id,message,priority,Region\nZD-2,C-1001,Still waiting,urgent,North\n", "support-log",
            new() { ["mapping"] = """{"customerAttributes": ["*"]}""" });
        await ImportCustomers(researcher, "customer_id,plan\nC-1001,pro\n");
        Attributes(await Customer(researcher, "C-1001")).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["agent"] = "Ola", ["priority"] = "urgent", ["region"] = "North", ["plan"] = "pro",
        });
        // A row without a customer id attaches its metadata to nobody.
        var customers = await app.WithDb(db => db.Customers.Where(c => c.WorkspaceId == workspace.Id).Select(c => c.CustomerId).ToListAsync());
        customers.Should().OnlyContain(c => c.StartsWith("C-"));
    }

    [Fact]
    public async Task TheListIsPagedByCustomerIdAndFiltersByAttributeIgnoringCase()
    {
        var viewer = await app.CreateWorkspaceAsync();
        await ImportCustomers(viewer.As("researcher"), "customer_id,plan,country\nC-3,Pro,PL\nC-1,pro,RO\nC-2,free,PL\nC-4,,IT\n");
        var client = viewer.As("viewer");

        var firstPage = await (await client.GetAsync("/api/customers?pageSize=3")).ReadJson(HttpStatusCode.OK);
        firstPage["total"]!.GetValue<int>().Should().Be(4);
        firstPage["items"]!.AsArray().Select(c => c!["customerId"]!.GetValue<string>()).Should().Equal("C-1", "C-2", "C-3");
        firstPage["items"]![0]!["updatedAt"]!.GetValue<DateTime>().Should().BeAfter(DateTime.UtcNow.AddMinutes(-5));
        var secondPage = await (await client.GetAsync("/api/customers?pageSize=3&page=2")).ReadJson(HttpStatusCode.OK);
        secondPage["items"]!.AsArray().Select(c => c!["customerId"]!.GetValue<string>()).Should().Equal("C-4");

        var pro = await (await client.GetAsync("/api/customers?attribute=Plan%3DPRO")).ReadJson(HttpStatusCode.OK);
        pro["items"]!.AsArray().Select(c => c!["customerId"]!.GetValue<string>()).Should().Equal("C-1", "C-3");
        var proInPoland = await (await client.GetAsync("/api/customers?attribute=plan%3Dpro&attribute=country%3Dpl")).ReadJson(HttpStatusCode.OK);
        proInPoland["items"]!.AsArray().Select(c => c!["customerId"]!.GetValue<string>()).Should().Equal("C-3");
        var withPlan = await (await client.GetAsync("/api/customers?attribute=plan")).ReadJson(HttpStatusCode.OK);
        withPlan["total"]!.GetValue<int>().Should().Be(3);
        await (await client.GetAsync("/api/customers?attribute=%3Dpro")).ShouldNameField("attribute");
        // A hostile key is only letters and digits once normalised: it cannot reach the SQL.
        var hostile = await (await client.GetAsync("/api/customers?attribute=" + Uri.EscapeDataString("plan\"') OR 1=1 --=x"))).ReadJson(HttpStatusCode.OK);
        hostile["total"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task AnotherWorkspaceNeverSeesTheCustomers()
    {
        var owner = await app.CreateWorkspaceAsync();
        var other = await app.CreateWorkspaceAsync();
        await ImportCustomers(owner.As("researcher"), "customer_id,plan\nSHARED-1,pro\n");
        await ImportCustomers(other.As("researcher"), "customer_id,country\nSHARED-1,DE\n");

        Attributes(await Customer(owner.As("viewer"), "SHARED-1")).Should().BeEquivalentTo(new Dictionary<string, string> { ["plan"] = "pro" });
        Attributes(await Customer(other.As("viewer"), "SHARED-1")).Should().BeEquivalentTo(new Dictionary<string, string> { ["country"] = "DE" });
        await ImportCustomers(owner.As("researcher"), "customer_id,plan\nOWN-2,free\n");
        var missing = await (await other.As("viewer").GetAsync("/api/customers/OWN-2")).ShouldBeProblem(HttpStatusCode.NotFound);
        missing["detail"]!.GetValue<string>().Should().Contain("OWN-2");
        var list = await (await other.As("viewer").GetAsync("/api/customers?attribute=plan")).ReadJson(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);
        (await app.ClientWithKey(null).GetAsync("/api/customers")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
