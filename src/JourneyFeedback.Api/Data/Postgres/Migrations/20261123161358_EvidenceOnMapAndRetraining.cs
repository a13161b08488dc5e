using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceOnMapAndRetraining : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EvidenceVersion",
                table: "Maps",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<double>(
                name: "MatchConfidence",
                table: "FeedbackItems",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MatchReason",
                table: "FeedbackItems",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "MatchedAt",
                table: "FeedbackItems",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LaneSuggestions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    MapId = table.Column<Guid>(type: "uuid", nullable: false),
                    StageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Lane = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    TouchpointId = table.Column<Guid>(type: "uuid", nullable: true),
                    PainPoint = table.Column<string>(type: "text", nullable: true),
                    Emotion = table.Column<string>(type: "text", nullable: true),
                    Phrase = table.Column<string>(type: "text", nullable: true),
                    EvidenceCount = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LaneSuggestions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LaneSuggestions_Maps_MapId",
                        column: x => x.MapId,
                        principalTable: "Maps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RetrainJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedByKeyId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "text", nullable: false),
                    SentimentCorrections = table.Column<int>(type: "integer", nullable: false),
                    EmotionCorrections = table.Column<int>(type: "integer", nullable: false),
                    PainPointCorrections = table.Column<int>(type: "integer", nullable: false),
                    WeakLabelsFromRatings = table.Column<int>(type: "integer", nullable: false),
                    WeakLabelsFromNps = table.Column<int>(type: "integer", nullable: false),
                    MaxRowsPerSource = table.Column<int>(type: "integer", nullable: true),
                    Tolerance = table.Column<double>(type: "double precision", nullable: false),
                    CurrentVersion = table.Column<string>(type: "text", nullable: true),
                    CandidateVersion = table.Column<string>(type: "text", nullable: true),
                    CurrentMetrics = table.Column<string>(type: "text", nullable: false),
                    CandidateMetrics = table.Column<string>(type: "text", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    ClaimedBy = table.Column<string>(type: "text", nullable: true),
                    HeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetrainJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RetrainJobs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_MapId_TouchpointId",
                table: "FeedbackItems",
                columns: new[] { "MapId", "TouchpointId" },
                filter: "\"MapId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_NotMatched",
                table: "FeedbackItems",
                column: "Id",
                filter: "\"MatchedAt\" IS NULL AND \"MapId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LaneSuggestions_MapId_Status",
                table: "LaneSuggestions",
                columns: new[] { "MapId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_RetrainJobs_OneActivePerWorkspace",
                table: "RetrainJobs",
                column: "WorkspaceId",
                unique: true,
                filter: "\"Status\" IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "IX_RetrainJobs_Status",
                table: "RetrainJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_RetrainJobs_WorkspaceId_CreatedAt",
                table: "RetrainJobs",
                columns: new[] { "WorkspaceId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LaneSuggestions");

            migrationBuilder.DropTable(
                name: "RetrainJobs");

            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_MapId_TouchpointId",
                table: "FeedbackItems");

            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_NotMatched",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "EvidenceVersion",
                table: "Maps");

            migrationBuilder.DropColumn(
                name: "MatchConfidence",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "MatchReason",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "MatchedAt",
                table: "FeedbackItems");
        }
    }
}
