using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Corrections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CorrectedAt",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "EmotionsCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "PainPointCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SentimentCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CorrectedAt",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "EmotionsCorrected",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "PainPointCorrected",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "SentimentCorrected",
                table: "FeedbackItems");
        }
    }
}
