namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// A fact about several API instances sharing one PostgreSQL database. Skipped with a hint when <c>JF_TEST_POSTGRES</c>
/// is not set (the SQLite run); <c>.ci/run</c> sets it for its PostgreSQL run, where these tests always run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.UsesPostgres)
            Skip = $"Needs a PostgreSQL server: set {TestDatabase.PostgresVariable} (README, 'Tests on PostgreSQL'); .ci/run does.";
    }
}
