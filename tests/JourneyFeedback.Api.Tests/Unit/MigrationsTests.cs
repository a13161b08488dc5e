using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Data.Postgres;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>
/// Each engine has its own migration set. A model change needs a migration in both; this fails (without a server) when
/// one was forgotten, e.g. after merging a branch that added a SQLite migration only.
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public void TheSqliteMigrationsMatchTheModel()
    {
        using var db = new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite("Data Source=:memory:").Options);
        db.Database.HasPendingModelChanges().Should().BeFalse(
            "run: dotnet ef migrations add <Name> --project src/JourneyFeedback.Api --context JourneyFeedbackDb --output-dir Data/Migrations");
    }

    [Fact]
    public void ThePostgresMigrationsMatchTheModel()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().Should().BeFalse(
            "run: dotnet ef migrations add <Name> --project src/JourneyFeedback.Api --context PostgresJourneyFeedbackDb --output-dir Data/Postgres/Migrations");
    }

    [Theory]
    [InlineData(typeof(JourneyFeedbackDb), "Microsoft.EntityFrameworkCore.Sqlite")]
    [InlineData(typeof(PostgresJourneyFeedbackDb), "Npgsql.EntityFrameworkCore.PostgreSQL")]
    public void DotnetEfBuildsEachContextWithItsOwnProvider(Type context, string provider)
    {
        // The PostgreSQL context derives from the SQLite one; dotnet ef once took the PostgreSQL design-time factory for
        // both and wrote PostgreSQL migrations into the SQLite set.
        using var db = (DbContext)Microsoft.EntityFrameworkCore.Design.DbContextActivator.CreateInstance(context, typeof(JourneyFeedbackDb).Assembly);
        db.GetType().Should().Be(context);
        db.Database.ProviderName.Should().Be(provider);
    }

    [Fact]
    public void EachEngineUsesOnlyItsOwnMigrations()
    {
        using var sqlite = new JourneyFeedbackDb(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        sqliteMigrations.Should().Contain(m => m.EndsWith("_InitialCreate", StringComparison.Ordinal)).And.Contain(m => m.EndsWith("_Corrections", StringComparison.Ordinal));
        postgresMigrations.Should().NotBeEmpty().And.NotIntersectWith(sqliteMigrations);
    }
}
