using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
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
                type: "TEXT",
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
