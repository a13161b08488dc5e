using Microsoft.EntityFrameworkCore;

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
