using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SurveyScoreDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SurveyScoreDays",
                columns: table => new
                {
                    SurveyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<int>(type: "integer", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyScoreDays", x => new { x.SurveyId, x.Day, x.Score });
                    table.ForeignKey(
                        name: "FK_SurveyScoreDays_Surveys_SurveyId",
                        column: x => x.SurveyId,
                        principalTable: "Surveys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The answers stored before the counts existed (SurveyScoreDay.Day: DateOnly.DayNumber of the UTC day).
            migrationBuilder.Sql(
                """
                INSERT INTO "SurveyScoreDays" ("SurveyId", "Day", "Score", "Count")
                SELECT "SurveyId", ("AnsweredAt" AT TIME ZONE 'UTC')::date - DATE '0001-01-01' AS "Day", "Score", COUNT(*)
                FROM "SurveyAnswers" WHERE "Score" IS NOT NULL GROUP BY 1, 2, 3
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SurveyScoreDays");
        }
    }
}
