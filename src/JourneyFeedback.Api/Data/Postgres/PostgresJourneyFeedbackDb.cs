using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JourneyFeedback.Api.Data.Postgres;

/// <summary>
/// The shared model on PostgreSQL. A context type of its own gives PostgreSQL its own migration set
/// (<c>Data/Postgres/Migrations</c>) next to the untouched SQLite one, in the same assembly.
/// </summary>
internal sealed class PostgresJourneyFeedbackDb(DbContextOptions<PostgresJourneyFeedbackDb> options) : JourneyFeedbackDb(options)
{
    protected override bool StoresGuidsAsBlobs => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // SQLite ignores declared lengths; varchar(n) here would turn inputs that SQLite accepts into errors. The API
        // validates lengths itself, so every string is `text` and both engines accept exactly the same data.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.ClrType == typeof(string)))
            property.SetMaxLength(null);

    }
}

/// <summary>
/// Lets <c>dotnet ef migrations add &lt;Name&gt; --context PostgresJourneyFeedbackDb --output-dir Data/Postgres/Migrations</c>
/// build the model without a server (no connection is opened to generate a migration).
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresJourneyFeedbackDb>
{
    public PostgresJourneyFeedbackDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresJourneyFeedbackDb>().UseNpgsql("Host=localhost;Database=journeyfeedback").Options);
}

/// <summary>
/// The SQLite counterpart: without it, <c>dotnet ef … --context JourneyFeedbackDb</c> would build its model through the
/// PostgreSQL factory above (that context derives from this one) and write PostgreSQL migrations into the SQLite set.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<JourneyFeedbackDb>
{
    public JourneyFeedbackDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite("Data Source=design-time.db").Options);
}
