using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChangeCounter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EvidenceVersionTriggers.InitialDropSqlite);
            migrationBuilder.AddColumn<long>(
                name: "EvidenceResetVersion",
                table: "Maps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "InsightsReadAt",
                table: "Maps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ChangeVersion",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_MapId_ChangeVersion",
                table: "FeedbackItems",
                columns: new[] { "MapId", "ChangeVersion" },
                filter: "\"MapId\" IS NOT NULL");

            // Rows stored before this migration keep ChangeVersion 0: every snapshot built from now on has them.
            migrationBuilder.Sql(EvidenceVersionTriggers.CreateSqlite);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EvidenceVersionTriggers.DropSqlite);
            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_MapId_ChangeVersion",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "EvidenceResetVersion",
                table: "Maps");

            migrationBuilder.DropColumn(
                name: "InsightsReadAt",
                table: "Maps");

            migrationBuilder.DropColumn(
                name: "ChangeVersion",
                table: "FeedbackItems");

            migrationBuilder.Sql(EvidenceVersionTriggers.InitialCreateSqlite);
        }
    }
}
