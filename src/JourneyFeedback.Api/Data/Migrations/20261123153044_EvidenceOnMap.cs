using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceOnMap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_NotAnalyzed",
                table: "FeedbackItems");

            migrationBuilder.AddColumn<long>(
                name: "EvidenceVersion",
                table: "Maps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<double>(
                name: "MatchConfidence",
                table: "FeedbackItems",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MatchReason",
                table: "FeedbackItems",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "MatchedAt",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LaneSuggestions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MapId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Lane = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    TouchpointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PainPoint = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Emotion = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Phrase = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    EvidenceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_MapId_TouchpointId",
                table: "FeedbackItems",
                columns: new[] { "MapId", "TouchpointId" });

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_NotMatched",
                table: "FeedbackItems",
                column: "Id",
                filter: "\"MatchedAt\" IS NULL AND \"MapId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LaneSuggestions_MapId_Status",
                table: "LaneSuggestions",
                columns: new[] { "MapId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LaneSuggestions");

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

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_NotAnalyzed",
                table: "FeedbackItems",
                column: "Id",
                filter: "\"AnalyzedAt\" IS NULL");
        }
    }
}
