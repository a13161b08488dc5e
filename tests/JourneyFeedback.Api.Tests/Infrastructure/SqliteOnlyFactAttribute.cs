namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>
/// A slow fact whose subject does not depend on the database engine (e.g. how the app is packaged): it runs in the
/// SQLite run and is skipped in the PostgreSQL run (<c>JF_TEST_POSTGRES</c> set), which would only repeat it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute()
    {
        if (TestDatabase.UsesPostgres)
            Skip = "Independent of the database engine and slow: runs in the SQLite run only.";
    }
}
