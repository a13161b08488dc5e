using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JourneyFeedback.Api.Data;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(200);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasIndex(k => k.WorkspaceId);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.Role).HasMaxLength(20);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(k => k.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JourneyMapConfiguration : IEntityTypeConfiguration<JourneyMap>
{
    public void Configure(EntityTypeBuilder<JourneyMap> builder)
    {
        builder.ToTable("Maps");
        builder.HasIndex(m => m.WorkspaceId);
        builder.Property(m => m.Name).HasMaxLength(200);
        builder.Property(m => m.Template).HasMaxLength(40);
        builder.Property(m => m.Persona).HasJsonConversion();
        builder.Property(m => m.EventRules).HasJsonConversion();
        // Optimistic concurrency: two writers that read the same version cannot both win.
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasMany(m => m.Stages).WithOne().HasForeignKey(s => s.MapId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StageConfiguration : IEntityTypeConfiguration<Stage>
{
    public void Configure(EntityTypeBuilder<Stage> builder)
    {
        builder.HasIndex(s => new { s.MapId, s.Position });
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Lanes).HasJsonConversion();
        builder.HasMany(s => s.Touchpoints).WithOne().HasForeignKey(t => t.StageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TouchpointConfiguration : IEntityTypeConfiguration<Touchpoint>
{
    public void Configure(EntityTypeBuilder<Touchpoint> builder)
    {
        builder.HasIndex(t => t.MapId);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Channel).HasMaxLength(50);
        builder.Property(t => t.Phase).HasMaxLength(20);
        builder.Property(t => t.Description).HasMaxLength(2000);
        builder.Property(t => t.KeywordsByLanguage).HasJsonConversion();
    }
}

internal sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> builder)
    {
        builder.HasIndex(s => s.WorkspaceId);
        builder.Property(s => s.Type).HasMaxLength(20);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Question).HasMaxLength(500);
        builder.Property(s => s.Options).HasJsonConversion();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.HasIndex(i => i.Token).IsUnique();
        // Idempotent sends: one invitation per chat/ticket per survey (NULLs are distinct, so refs stay optional).
        builder.HasIndex(i => new { i.SurveyId, i.ExternalRef }).IsUnique();
        builder.HasIndex(i => new { i.SurveyId, i.CreatedAt });
        builder.Property(i => i.Token).HasMaxLength(64);
        builder.Property(i => i.ExternalRef).HasMaxLength(200);
        builder.Property(i => i.CustomerId).HasMaxLength(200);
        builder.Property(i => i.Channel).HasMaxLength(50);
        builder.Property(i => i.Metadata).HasJsonConversion();
        builder.HasOne<Survey>().WithMany().HasForeignKey(i => i.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SurveyAnswerConfiguration : IEntityTypeConfiguration<SurveyAnswer>
{
    public void Configure(EntityTypeBuilder<SurveyAnswer> builder)
    {
        // Second line of defence for single-use links (the first is the conditional update on the invitation).
        builder.HasIndex(a => a.InvitationId).IsUnique();
        builder.HasIndex(a => new { a.SurveyId, a.AnsweredAt });
        builder.Property(a => a.OptionId).HasMaxLength(60);
        builder.Property(a => a.OtherText).HasMaxLength(500);
        builder.HasOne<Invitation>().WithMany().HasForeignKey(a => a.InvitationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SurveyScoreDayConfiguration : IEntityTypeConfiguration<SurveyScoreDay>
{
    public void Configure(EntityTypeBuilder<SurveyScoreDay> builder)
    {
        builder.HasKey(c => new { c.SurveyId, c.Day, c.Score });
        builder.HasOne<Survey>().WithMany().HasForeignKey(c => c.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FeedbackItemConfiguration : IEntityTypeConfiguration<FeedbackItem>
{
    public void Configure(EntityTypeBuilder<FeedbackItem> builder)
    {
        // The database keeps each map's EvidenceVersion current (EvidenceVersionTriggers).
        builder.ToTable(t => { foreach (var trigger in EvidenceVersionTriggers.All) t.HasTrigger(trigger); });
        builder.HasIndex(f => new { f.WorkspaceId, f.OccurredAt });
        // Items are attached to touchpoints after import; a partial index costs nothing for the (many) unassigned rows.
        builder.HasIndex(f => f.TouchpointId).HasFilter("\"TouchpointId\" IS NOT NULL");
        // Re-imports skip what is already there: INSERT ... ON CONFLICT ("WorkspaceId", "DedupKey") DO NOTHING.
        // Survey items have no key (NULLs never conflict).
        builder.HasIndex(f => new { f.WorkspaceId, f.DedupKey }).IsUnique();
        builder.HasIndex(f => new { f.ImportId, f.LineNumber });
        // The analysis worker's queue: only rows still waiting are in this index.
        // Named: two indexes on the same column are two indexes only when each has its own name.
        builder.HasIndex(f => f.Id, "IX_FeedbackItems_NotAnalyzed").HasFilter("\"AnalyzedAt\" IS NULL");
        // The matching worker's queue: items on a map that the matcher has not looked at (yet, or again after a rematch).
        builder.HasIndex(f => f.Id, "IX_FeedbackItems_NotMatched").HasFilter("\"MatchedAt\" IS NULL AND \"MapId\" IS NOT NULL");
        // A map's evidence (insights load it per map) and its inbox (TouchpointId IS NULL); partial, so imports
        // without a map pay nothing for it.
        builder.HasIndex(f => new { f.MapId, f.TouchpointId }).HasFilter("\"MapId\" IS NOT NULL");
        // What changed on a map since a snapshot's version: snapshots read only those rows (docs/insights.md).
        builder.HasIndex(f => new { f.MapId, f.ChangeVersion }).HasFilter("\"MapId\" IS NOT NULL");
        // A map's confirmations (what a person assigned): the semantic matcher is rebuilt when their count or newest moves.
        builder.HasIndex(f => new { f.MapId, f.MatchedAt }, "IX_FeedbackItems_Confirmations").HasFilter("\"MatchReason\" = 'manual'");
        builder.Property(f => f.MatchReason).HasMaxLength(10);
        builder.Property(f => f.Kind).HasMaxLength(20);
        builder.Property(f => f.ContentHash).HasMaxLength(64);
        builder.Property(f => f.DedupKey).HasMaxLength(300);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Segments.Customer>
{
    public void Configure(EntityTypeBuilder<Segments.Customer> builder)
    {
        // Upserted by customer id (INSERT ... ON CONFLICT DO UPDATE, Segments/CustomerUpserts.cs).
        builder.HasIndex(c => new { c.WorkspaceId, c.CustomerId }).IsUnique();
        builder.Property(c => c.CustomerId).HasMaxLength(200);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SavedSegmentConfiguration : IEntityTypeConfiguration<Segments.SavedSegment>
{
    public void Configure(EntityTypeBuilder<Segments.SavedSegment> builder)
    {
        builder.ToTable("Segments");
        builder.HasIndex(s => new { s.WorkspaceId, s.Name }).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Description).HasMaxLength(2000);
        builder.Property(s => s.Expression).HasMaxLength(2000);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerEventConfiguration : IEntityTypeConfiguration<Journeys.CustomerEvent>
{
    public void Configure(EntityTypeBuilder<Journeys.CustomerEvent> builder)
    {
        builder.ToTable("Events");
        // Re-imports skip what is already there (INSERT ... ON CONFLICT DO NOTHING, Imports/EventInserter.cs).
        builder.HasIndex(e => new { e.WorkspaceId, e.DedupKey }).IsUnique();
        // No index by customer: timelines and journeys read the per-map journey log, and every index slows the imports.
        builder.Property(e => e.CustomerId).HasMaxLength(200);
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.Url).HasMaxLength(2000);
        builder.Property(e => e.Path).HasMaxLength(1000);
        builder.Property(e => e.SessionId).HasMaxLength(200);
        builder.Property(e => e.DedupKey).HasMaxLength(300);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportConfiguration : IEntityTypeConfiguration<Import>
{
    public void Configure(EntityTypeBuilder<Import> builder)
    {
        builder.HasIndex(i => new { i.WorkspaceId, i.CreatedAt });
        builder.HasIndex(i => i.Status);
        builder.Property(i => i.Kind).HasMaxLength(20);
        builder.Property(i => i.Status).HasMaxLength(20);
        builder.Property(i => i.FileName).HasMaxLength(260);
        builder.Property(i => i.ResolvedMapping).HasJsonConversion();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportRejectionConfiguration : IEntityTypeConfiguration<ImportRejection>
{
    public void Configure(EntityTypeBuilder<ImportRejection> builder)
    {
        builder.HasIndex(r => new { r.ImportId, r.LineNumber });
        builder.HasOne<Import>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RetrainJobConfiguration : IEntityTypeConfiguration<RetrainJob>
{
    public void Configure(EntityTypeBuilder<RetrainJob> builder)
    {
        builder.HasIndex(j => new { j.WorkspaceId, j.CreatedAt });
        builder.HasIndex(j => j.Status);
        // At most one queued or running retrain per workspace, enforced by the database even for simultaneous requests.
        builder.HasIndex(j => j.WorkspaceId).IsUnique()
            .HasFilter("\"Status\" IN ('queued', 'running')").HasDatabaseName("IX_RetrainJobs_OneActivePerWorkspace");
        builder.Property(j => j.Status).HasMaxLength(20);
        builder.Property(j => j.CurrentVersion).HasMaxLength(60);
        builder.Property(j => j.CandidateVersion).HasMaxLength(60);
        builder.Property(j => j.ClaimedBy).HasMaxLength(200);
        builder.Property(j => j.CurrentMetrics).HasJsonConversion();
        builder.Property(j => j.CandidateMetrics).HasJsonConversion();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LaneSuggestionConfiguration : IEntityTypeConfiguration<Insights.LaneSuggestion>
{
    public void Configure(EntityTypeBuilder<Insights.LaneSuggestion> builder)
    {
        builder.HasIndex(s => new { s.MapId, s.Status });
        builder.Property(s => s.Lane).HasMaxLength(20);
        builder.Property(s => s.Status).HasMaxLength(10);
        builder.Property(s => s.Text).HasMaxLength(300);
        builder.Property(s => s.PainPoint).HasMaxLength(40);
        builder.Property(s => s.Emotion).HasMaxLength(40);
        builder.Property(s => s.Phrase).HasMaxLength(200);
        builder.HasOne<JourneyMap>().WithMany().HasForeignKey(s => s.MapId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ItemEmbeddingConfiguration : IEntityTypeConfiguration<Semantic.ItemEmbedding>
{
    public void Configure(EntityTypeBuilder<Semantic.ItemEmbedding> builder)
    {
        builder.HasKey(e => e.ItemId);
        // The per-map budget count, and the semantic worker's queue (embedded items waiting to be placed again):
        // partial, so the poll reads only waiting rows.
        builder.HasIndex(e => e.MapId);
        builder.HasIndex(e => e.MapId, "IX_ItemEmbeddings_Waiting").HasFilter("\"JudgedAt\" IS NULL");
        builder.HasOne<FeedbackItem>().WithOne().HasForeignKey<Semantic.ItemEmbedding>(e => e.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ThemeConfiguration : IEntityTypeConfiguration<Semantic.Theme>
{
    public void Configure(EntityTypeBuilder<Semantic.Theme> builder)
    {
        builder.HasIndex(t => new { t.MapId, t.TouchpointId });
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Category).HasMaxLength(40);
        builder.Property(t => t.Phrases).HasJsonConversion();
        builder.HasOne<JourneyMap>().WithMany().HasForeignKey(t => t.MapId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Touchpoint>().WithMany().HasForeignKey(t => t.TouchpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<Webhooks.WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<Webhooks.WebhookSubscription> builder)
    {
        // The outbox reads a workspace's active subscriptions in every transaction that produces events.
        builder.HasIndex(s => new { s.WorkspaceId, s.Active });
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.EventTypes).HasJsonConversion();
        builder.Property(s => s.Description).HasMaxLength(500);
        builder.Property(s => s.MinSeverity).HasMaxLength(10);
        builder.Property(s => s.Secret).HasMaxLength(100);
        builder.Property(s => s.PreviousSecret).HasMaxLength(100);
        builder.Property(s => s.DisabledReason).HasMaxLength(1000);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookMessageConfiguration : IEntityTypeConfiguration<Webhooks.WebhookMessage>
{
    public void Configure(EntityTypeBuilder<Webhooks.WebhookMessage> builder)
    {
        builder.Property(m => m.Id).HasMaxLength(40);
        builder.Property(m => m.Type).HasMaxLength(40);
        builder.HasIndex(m => m.CreatedAt);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<Webhooks.WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<Webhooks.WebhookDelivery> builder)
    {
        // The dispatcher's queue: only deliveries still to be attempted are in this index.
        builder.HasIndex(d => d.NextAttemptAt, "IX_WebhookDeliveries_Due").HasFilter("\"Status\" = 'pending'");
        // The delivery log of a subscription, newest first.
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
        builder.HasIndex(d => d.MessageId);
        builder.HasIndex(d => d.CreatedAt);
        builder.Property(d => d.MessageId).HasMaxLength(40);
        builder.Property(d => d.Type).HasMaxLength(40);
        builder.Property(d => d.Status).HasMaxLength(10);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasOne<Webhooks.WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Webhooks.WebhookMessage>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MapShareConfiguration : IEntityTypeConfiguration<Shares.MapShare>
{
    public void Configure(EntityTypeBuilder<Shares.MapShare> builder)
    {
        builder.ToTable("Shares");
        // A view finds its link by the token's hash; the list is per map.
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.HasIndex(s => s.MapId);
        builder.Property(s => s.TokenHash).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Segment).HasMaxLength(2000);
        // A deleted map takes its links with it.
        builder.HasOne<JourneyMap>().WithMany().HasForeignKey(s => s.MapId).OnDelete(DeleteBehavior.Cascade);
    }
}
