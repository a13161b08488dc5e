using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class FeedbackItemIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_SurveyId",
                table: "FeedbackItems");

            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_TouchpointId",
                table: "FeedbackItems");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_TouchpointId",
                table: "FeedbackItems",
                column: "TouchpointId",
                filter: "\"TouchpointId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_TouchpointId",
                table: "FeedbackItems");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_SurveyId",
                table: "FeedbackItems",
                column: "SurveyId");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_TouchpointId",
                table: "FeedbackItems",
                column: "TouchpointId");
        }
    }
}
