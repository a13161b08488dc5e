using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace JourneyFeedback.Api.Tests.Unit;

/// <summary>The migration that adds the daily score counts counts the answers stored before it, each on its UTC day.</summary>
public sealed class SurveyScoreDaysMigrationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"score-days-{Guid.NewGuid():N}.db");

    private JourneyFeedbackDb Open() => new(new DbContextOptionsBuilder<JourneyFeedbackDb>().UseSqlite($"Data Source={_file}").Options);

    [Fact]
    public async Task AnswersStoredBeforeTheCountsAreCountedPerSurveyDayAndScore()
    {
        var workspace = new Workspace { Name = "Before the counts" };
        var survey = new Survey { WorkspaceId = workspace.Id, Type = SurveyTypes.Nps, Name = "NPS", Question = "Recommend us?" };
        DateTime[] times = [new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), new(2026, 3, 1, 23, 59, 59, 999, DateTimeKind.Utc), new(2026, 3, 2, 12, 30, 0, DateTimeKind.Utc)];
        int?[] scores = [9, 9, null];
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync("ImportRequestedByKey");
            db.Workspaces.Add(workspace);
            db.Surveys.Add(survey);
            for (var i = 0; i < times.Length + 1; i++)
            {
                var invitation = new Invitation { WorkspaceId = workspace.Id, SurveyId = survey.Id, Token = $"t{i}", ExpiresAt = DateTime.UtcNow.AddDays(1) };
                db.Invitations.Add(invitation);
                var (at, score) = i < times.Length ? (times[i], scores[i]) : (times[2].AddHours(1), 4);
                db.SurveyAnswers.Add(new SurveyAnswer { WorkspaceId = workspace.Id, SurveyId = survey.Id, InvitationId = invitation.Id, Score = score, AnsweredAt = at });
            }
            await db.SaveChangesAsync();
        }

        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            var counts = await db.SurveyScoreDays.AsNoTracking().OrderBy(c => c.Day).ThenBy(c => c.Score).ToListAsync();
            counts.Select(c => (c.SurveyId, c.Day, c.Score, c.Count)).Should().Equal(
                (survey.Id, SurveyScoreDay.DayOf(times[0]), 9, 2),
                (survey.Id, SurveyScoreDay.DayOf(times[2]), 4, 1));
            SurveyScoreDay.StartOf(counts[0].Day).Should().Be(times[0]);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_file) + "*")) File.Delete(f);
    }
}
