using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Retraining : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RetrainJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedByKeyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SentimentCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    EmotionCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    PainPointCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    WeakLabelsFromRatings = table.Column<int>(type: "INTEGER", nullable: false),
                    WeakLabelsFromNps = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxRowsPerSource = table.Column<int>(type: "INTEGER", nullable: true),
                    Tolerance = table.Column<double>(type: "REAL", nullable: false),
                    CurrentVersion = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    CandidateVersion = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    CurrentMetrics = table.Column<string>(type: "TEXT", nullable: false),
                    CandidateMetrics = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                name: "RetrainJobs");
        }
    }
}
