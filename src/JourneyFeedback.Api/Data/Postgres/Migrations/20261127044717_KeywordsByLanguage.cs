using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class KeywordsByLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing touchpoints get no keywords in other languages (the JSON the column's converter reads).
            migrationBuilder.AddColumn<string>(
                name: "KeywordsByLanguage",
                table: "Touchpoints",
                type: "text",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KeywordsByLanguage",
                table: "Touchpoints");
        }
    }
}
