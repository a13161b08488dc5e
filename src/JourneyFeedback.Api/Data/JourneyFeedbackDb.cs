using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JourneyFeedback.Api.Data;

/// <summary>
/// The model, shared by both engines. SQLite uses this type; PostgreSQL uses <see cref="Postgres.PostgresJourneyFeedbackDb"/>,
/// a subclass that exists so each engine has its own migrations (EF Core binds a migration set to a context type).
/// </summary>
internal class JourneyFeedbackDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<JourneyMap> Maps => Set<JourneyMap>();
    public DbSet<Stage> Stages => Set<Stage>();
    public DbSet<Touchpoint> Touchpoints => Set<Touchpoint>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<SurveyAnswer> SurveyAnswers => Set<SurveyAnswer>();
    public DbSet<SurveyScoreDay> SurveyScoreDays => Set<SurveyScoreDay>();
    public DbSet<FeedbackItem> FeedbackItems => Set<FeedbackItem>();
    public DbSet<Journeys.CustomerEvent> Events => Set<Journeys.CustomerEvent>();
    public DbSet<Segments.Customer> Customers => Set<Segments.Customer>();
    public DbSet<Segments.SavedSegment> Segments => Set<Segments.SavedSegment>();
    public DbSet<Import> Imports => Set<Import>();
    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();
    public DbSet<Insights.LaneSuggestion> LaneSuggestions => Set<Insights.LaneSuggestion>();
    public DbSet<RetrainJob> RetrainJobs => Set<RetrainJob>();
    public DbSet<Semantic.ItemEmbedding> ItemEmbeddings => Set<Semantic.ItemEmbedding>();
    public DbSet<Semantic.Theme> Themes => Set<Semantic.Theme>();
    public DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Webhooks.WebhookSubscription>();
    public DbSet<Webhooks.WebhookMessage> WebhookMessages => Set<Webhooks.WebhookMessage>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Shares.MapShare> Shares => Set<Shares.MapShare>();

    /// <summary>False on PostgreSQL, which stores GUIDs as uuid.</summary>
    protected virtual bool StoresGuidsAsBlobs => true;

    /// <summary>
    /// All timestamps are UTC; SQLite returns them without a kind, so it is restored on read. SQLite stores GUIDs as
    /// 16-byte blobs (<see cref="SqliteGuid"/>).
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        if (!StoresGuidsAsBlobs) return;
        configurationBuilder.Properties<Guid>().HaveConversion<SqliteGuidConverter>();
        configurationBuilder.Properties<Guid?>().HaveConversion<SqliteGuidConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(JourneyFeedbackDb).Assembly);

        // Column defaults serve the raw SQL writers that leave a column out; they agree with the C# initialisers
        // (DefaultsTests). EF always sends the entity's value, so a default never overrides a value set in C#
        // (without this, EF would skip a `false` and the database would store its default instead).
        modelBuilder.Entity<Workspaces.Workspace>().Property(w => w.RedactPersonalData).HasDefaultValue(true).ValueGeneratedNever();
        modelBuilder.Entity<Maps.JourneyMap>().Property(m => m.EvidenceVersion).HasDefaultValue(0L).ValueGeneratedNever();
        modelBuilder.Entity<Maps.JourneyMap>().Property(m => m.ThemesEvidenceVersion).HasDefaultValue(0L).ValueGeneratedNever();
        var items = modelBuilder.Entity<Evidence.FeedbackItem>();
        items.Property(f => f.LowConfidence).HasDefaultValue(false).ValueGeneratedNever();
        items.Property(f => f.SentimentCorrected).HasDefaultValue(false).ValueGeneratedNever();
        items.Property(f => f.EmotionsCorrected).HasDefaultValue(false).ValueGeneratedNever();
        items.Property(f => f.PainPointCorrected).HasDefaultValue(false).ValueGeneratedNever();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        CutTimestampsToMicroseconds();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        CutTimestampsToMicroseconds();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>In the entities too, so a response built from a saved entity shows what is stored (<see cref="Timestamps"/>).</summary>
    private void CutTimestampsToMicroseconds()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
                if (property.CurrentValue is DateTime value && value.Ticks % 10 != 0)
                    property.CurrentValue = Timestamps.ToMicroseconds(value);
        }
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
