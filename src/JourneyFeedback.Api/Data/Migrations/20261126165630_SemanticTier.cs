using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SemanticTier : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ThemesComputedAt",
                table: "Maps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ThemesEvidenceVersion",
                table: "Maps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<byte[]>(
                name: "ThemeId",
                table: "LaneSuggestions",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ThemeId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ItemEmbeddings",
                columns: table => new
                {
                    ItemId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Vector = table.Column<byte[]>(type: "BLOB", nullable: false),
                    JudgedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ItemEmbeddings", x => x.ItemId);
                    table.ForeignKey(
                        name: "FK_ItemEmbeddings_FeedbackItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "FeedbackItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Themes",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    TouchpointId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Phrases = table.Column<string>(type: "TEXT", nullable: false),
                    Centroid = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Items = table.Column<int>(type: "INTEGER", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Themes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Themes_Maps_MapId",
                        column: x => x.MapId,
                        principalTable: "Maps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Themes_Touchpoints_TouchpointId",
                        column: x => x.TouchpointId,
                        principalTable: "Touchpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_Confirmations",
                table: "FeedbackItems",
                columns: new[] { "MapId", "MatchedAt" },
                filter: "\"MatchReason\" = 'manual'");

            migrationBuilder.CreateIndex(
                name: "IX_ItemEmbeddings_MapId",
                table: "ItemEmbeddings",
                column: "MapId");

            migrationBuilder.CreateIndex(
                name: "IX_ItemEmbeddings_Waiting",
                table: "ItemEmbeddings",
                column: "MapId",
                filter: "\"JudgedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Themes_MapId_TouchpointId",
                table: "Themes",
                columns: new[] { "MapId", "TouchpointId" });

            migrationBuilder.CreateIndex(
                name: "IX_Themes_TouchpointId",
                table: "Themes",
                column: "TouchpointId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ItemEmbeddings");

            migrationBuilder.DropTable(
                name: "Themes");

            migrationBuilder.DropIndex(
                name: "IX_FeedbackItems_Confirmations",
                table: "FeedbackItems");

            migrationBuilder.DropColumn(
                name: "ThemesComputedAt",
                table: "Maps");

            migrationBuilder.DropColumn(
                name: "ThemesEvidenceVersion",
                table: "Maps");

            migrationBuilder.DropColumn(
                name: "ThemeId",
                table: "LaneSuggestions");

            migrationBuilder.DropColumn(
                name: "ThemeId",
                table: "FeedbackItems");
        }
    }
}
