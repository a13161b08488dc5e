using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Data.Postgres;
using JourneyFeedback.Api.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// A column default serves the raw SQL writers that leave the column out; an entity created in C# gets its initialiser.
/// The two must agree, or the same row means different things depending on which path wrote it.
/// </summary>
public sealed class DefaultsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"defaults-{Guid.NewGuid():N}.db");

    public static TheoryData<string> Engines() => new() { "sqlite", "postgres" };

    private static JourneyFeedbackDb Model(string engine) => engine == "sqlite"
        ? new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite("Data Source=:memory:").Options)
        : new PostgresDesignTimeFactory().CreateDbContext([]);

    [Theory]
    [MemberData(nameof(Engines))]
    public void EveryColumnDefaultEqualsTheCSharpInitialiser(string engine)
    {
        using var db = Model(engine);
        var defaulted = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.FindAnnotation(RelationalAnnotationNames.DefaultValue) is not null).ToList();
        defaulted.Should().NotBeEmpty();
        foreach (var property in defaulted)
        {
            var entity = Activator.CreateInstance(property.DeclaringType.ClrType, nonPublic: true)!;
            var initialised = property.PropertyInfo!.GetValue(entity);
            initialised.Should().Be(property.GetDefaultValue(), $"{property.DeclaringType.ClrType.Name}.{property.Name}'s column default must match its C# initialiser");
            // Otherwise EF leaves out a value equal to the CLR default (false, 0) and the column default is stored instead.
            property.ValueGenerated.Should().Be(ValueGenerated.Never, $"EF must always write {property.DeclaringType.ClrType.Name}.{property.Name}");
        }
    }

    [Fact]
    public async Task AValueSetInCSharpIsStoredEvenWhenTheColumnDefaultsToAnother()
    {
        await using (var db = new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite($"Data Source={_file}").Options))
        {
            await db.Database.MigrateAsync();
            db.Workspaces.Add(new Workspace { Name = "No redaction", RedactPersonalData = false });
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync(
                """INSERT INTO "Workspaces" ("Id", "Name", "IsDefault", "CreatedAt") VALUES ({0}, 'Raw', 0, '2026-11-01 10:00:00')""",
                SqliteGuid.ToBytes(Guid.CreateVersion7()));
        }
        await using var read = new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite($"Data Source={_file}").Options);
        (await read.Workspaces.SingleAsync(w => w.Name == "No redaction")).RedactPersonalData.Should().BeFalse();
        (await read.Workspaces.SingleAsync(w => w.Name == "Raw")).RedactPersonalData.Should().Be(new Workspace { Name = "x" }.RedactPersonalData);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_file) + "*")) File.Delete(f);
    }
}
