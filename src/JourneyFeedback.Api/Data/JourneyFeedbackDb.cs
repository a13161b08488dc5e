using JourneyFeedback.Api.Analysis;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JourneyFeedback.Api.Data;

internal sealed class JourneyFeedbackDb(DbContextOptions<JourneyFeedbackDb> options) : DbContext(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<JourneyMap> Maps => Set<JourneyMap>();
    public DbSet<Stage> Stages => Set<Stage>();
    public DbSet<Touchpoint> Touchpoints => Set<Touchpoint>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<SurveyAnswer> SurveyAnswers => Set<SurveyAnswer>();
    public DbSet<FeedbackItem> FeedbackItems => Set<FeedbackItem>();
    public DbSet<Import> Imports => Set<Import>();
    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();
    public DbSet<Insights.LaneSuggestion> LaneSuggestions => Set<Insights.LaneSuggestion>();
    public DbSet<RetrainJob> RetrainJobs => Set<RetrainJob>();

    /// <summary>All timestamps are UTC; SQLite returns them without a kind, so it is restored on read.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(JourneyFeedbackDb).Assembly);
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
