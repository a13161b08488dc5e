using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// The SQLite counterpart: without it, <c>dotnet ef … --context JourneyFeedbackDb</c> would build its model through the
/// PostgreSQL factory (<see cref="Postgres.PostgresDesignTimeFactory"/>; that context derives from this one) and write PostgreSQL migrations into the SQLite set.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<JourneyFeedbackDb>
{
    public JourneyFeedbackDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite("Data Source=design-time.db").Options);
}
