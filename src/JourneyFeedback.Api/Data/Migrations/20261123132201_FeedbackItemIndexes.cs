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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_SurveyId",
                table: "FeedbackItems",
                column: "SurveyId");
        }
    }
}
