using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CustomerEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EventsVersion",
                table: "Workspaces",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Existing maps get an empty rule list (the JSON the column's converter reads).
            migrationBuilder.AddColumn<string>(
                name: "EventRules",
                table: "Maps",
                type: "text",
                nullable: false,
                defaultValue: "{\"rules\":[]}");

            migrationBuilder.AddColumn<long>(
                name: "EventRulesVersion",
                table: "Maps",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "Events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "text", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true),
                    Url = table.Column<string>(type: "text", nullable: true),
                    Path = table.Column<string>(type: "text", nullable: true),
                    SessionId = table.Column<string>(type: "text", nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: true),
                    ImportId = table.Column<Guid>(type: "uuid", nullable: true),
                    LineNumber = table.Column<long>(type: "bigint", nullable: true),
                    DedupKey = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Events_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Events_WorkspaceId_DedupKey",
                table: "Events",
                columns: new[] { "WorkspaceId", "DedupKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Events");

            migrationBuilder.DropColumn(
                name: "EventsVersion",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "EventRules",
                table: "Maps");

            migrationBuilder.DropColumn(
                name: "EventRulesVersion",
                table: "Maps");
        }
    }
}
