using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Analysis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AnalyzedAt",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DetectedLanguage",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Emotions",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyPhrases",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LowConfidence",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ModelVersion",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PainPoint",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PainPoints",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Sentiment",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SentimentNegative",
                table: "FeedbackItems",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SentimentNeutral",
                table: "FeedbackItems",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SentimentPositive",
                table: "FeedbackItems",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_NotAnalyzed",
                table: "FeedbackItems",
                column: "Id",
                filter: "\"AnalyzedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_NotAnalyzed",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "AnalyzedAt",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "DetectedLanguage",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "Emotions",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "KeyPhrases",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "LowConfidence",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "ModelVersion",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "PainPoint",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "PainPoints",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "Sentiment",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "SentimentNegative",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "SentimentNeutral",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "SentimentPositive",
                table: "FeedbackItems");
        }
    }
}
