using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JourneyFeedback.Api.Data.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add &lt;Name&gt; --context PostgresJourneyFeedbackDb --output-dir Data/Postgres/Migrations</c>
/// build the model without a server (no connection is opened to generate a migration).
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresJourneyFeedbackDb>
{
    public PostgresJourneyFeedbackDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresJourneyFeedbackDb>().UseNpgsql("Host=localhost;Database=journeyfeedback").Options);
}
