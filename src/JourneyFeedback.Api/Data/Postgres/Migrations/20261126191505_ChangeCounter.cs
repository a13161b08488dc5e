using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ChangeCounter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EvidenceVersionTriggers.InitialDropPostgres);
            migrationBuilder.AddColumn<long>(
                name: "EvidenceResetVersion",
                table: "Maps",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "InsightsReadAt",
                table: "Maps",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ChangeVersion",
                table: "FeedbackItems",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_MapId_ChangeVersion",
                table: "FeedbackItems",
                columns: new[] { "MapId", "ChangeVersion" },
                filter: "\"MapId\" IS NOT NULL");

            // Rows stored before this migration keep ChangeVersion 0: every snapshot built from now on has them.
            migrationBuilder.Sql(EvidenceVersionTriggers.CreatePostgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EvidenceVersionTriggers.DropPostgres);
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

            migrationBuilder.Sql(EvidenceVersionTriggers.InitialCreatePostgres);
        }
    }
}
