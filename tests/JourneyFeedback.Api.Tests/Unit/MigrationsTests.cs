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

        sqliteMigrations.Should().NotBeEmpty().And.NotIntersectWith(postgresMigrations);
        postgresMigrations.Should().NotBeEmpty();
    }

    [Fact]
    public void BothEnginesCreateTheEvidenceVersionTriggers()
    {
        // The triggers live in raw SQL of each set's first migration, outside EF's model diff: a re-squash that forgets
        // them would pass the model checks above while insights went stale.
        foreach (var set in new[] { typeof(JourneyFeedbackDb), typeof(PostgresJourneyFeedbackDb) })
        {
            var migrations = typeof(JourneyFeedbackDb).Assembly.GetTypes()
                .Where(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration))
                    && t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute), false)
                        .Cast<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>().Single().ContextType == set)
                .Select(t => (Microsoft.EntityFrameworkCore.Migrations.Migration)Activator.CreateInstance(t)!).ToList();
            var sql = migrations.SelectMany(m => m.UpOperations).OfType<Microsoft.EntityFrameworkCore.Migrations.Operations.SqlOperation>()
                .Select(o => o.Sql).ToList();
            foreach (var trigger in EvidenceVersionTriggers.All)
                sql.Should().Contain(s => s.Contains($"CREATE TRIGGER \"{trigger}\"", StringComparison.Ordinal), $"{set.Name} creates {trigger}");
        }
    }
}
