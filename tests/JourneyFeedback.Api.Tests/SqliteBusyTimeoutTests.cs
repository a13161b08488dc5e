using JourneyFeedback.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Tests;

/// <summary>Every SQLite connection the API uses waits for a busy database itself (Data/SqliteBusyTimeout.cs).</summary>
public sealed class SqliteBusyTimeoutTests(JourneyFeedbackApp app) : IClassFixture<JourneyFeedbackApp>
{
    [SqliteOnlyFact]
    public async Task PooledConnectionsKeepTheBusyTimeout()
    {
        for (var i = 0; i < 3; i++) // the first open sets it; the pool's later opens of the same connection keep it
            (await app.WithDb(db => db.Database.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync()))
                .Should().Be(5000);
    }
}
