using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Maps;
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
    }
}
