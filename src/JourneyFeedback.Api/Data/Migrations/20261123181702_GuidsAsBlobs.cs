using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class GuidsAsBlobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<bool>(
                name: "RedactPersonalData",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Workspaces",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "Touchpoints",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "StageId",
                table: "Touchpoints",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "MapId",
                table: "Touchpoints",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Touchpoints",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "Surveys",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "TouchpointId",
                table: "Surveys",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "MapId",
                table: "Surveys",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Surveys",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "SurveyAnswers",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "SurveyId",
                table: "SurveyAnswers",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "InvitationId",
                table: "SurveyAnswers",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "SurveyAnswers",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "Stages",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "MapId",
                table: "Stages",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Stages",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "RetrainJobs",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "RequestedByKeyId",
                table: "RetrainJobs",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "RetrainJobs",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "Maps",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "EvidenceVersion",
                table: "Maps",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Maps",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "LaneSuggestions",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "TouchpointId",
                table: "LaneSuggestions",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "StageId",
                table: "LaneSuggestions",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "MapId",
                table: "LaneSuggestions",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "LaneSuggestions",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "Invitations",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "SurveyId",
                table: "Invitations",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Invitations",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "Imports",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "MapId",
                table: "Imports",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "Imports",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "ImportRejections",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "ImportId",
                table: "ImportRejections",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "ImportRejections",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "TouchpointId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "SurveyId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "SurveyAnswerId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<bool>(
                name: "SentimentCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<bool>(
                name: "PainPointCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<byte[]>(
                name: "MapId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<bool>(
                name: "LowConfidence",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<byte[]>(
                name: "ImportId",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<bool>(
                name: "EmotionsCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "FeedbackItems",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "WorkspaceId",
                table: "ApiKeys",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<byte[]>(
                name: "Id",
                table: "ApiKeys",
                type: "BLOB",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "TEXT");
            
            // The rebuilt tables hold the old text values: each becomes the 16 bytes it spells, in the same (RFC 9562) order.
            // Parent and child keys change in the same migration, so foreign keys are checked once, at its end.
            migrationBuilder.Sql("PRAGMA defer_foreign_keys = ON;");
            migrationBuilder.Sql("""UPDATE "Workspaces" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "StageId" = unhex(replace("StageId", '-', '')) WHERE typeof("StageId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "MapId" = unhex(replace("MapId", '-', '')) WHERE typeof("MapId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "TouchpointId" = unhex(replace("TouchpointId", '-', '')) WHERE typeof("TouchpointId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "MapId" = unhex(replace("MapId", '-', '')) WHERE typeof("MapId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "SurveyId" = unhex(replace("SurveyId", '-', '')) WHERE typeof("SurveyId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "InvitationId" = unhex(replace("InvitationId", '-', '')) WHERE typeof("InvitationId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Stages" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Stages" SET "MapId" = unhex(replace("MapId", '-', '')) WHERE typeof("MapId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Stages" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "RetrainJobs" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "RetrainJobs" SET "RequestedByKeyId" = unhex(replace("RequestedByKeyId", '-', '')) WHERE typeof("RequestedByKeyId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "RetrainJobs" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Maps" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Maps" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "TouchpointId" = unhex(replace("TouchpointId", '-', '')) WHERE typeof("TouchpointId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "StageId" = unhex(replace("StageId", '-', '')) WHERE typeof("StageId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "MapId" = unhex(replace("MapId", '-', '')) WHERE typeof("MapId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Invitations" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Invitations" SET "SurveyId" = unhex(replace("SurveyId", '-', '')) WHERE typeof("SurveyId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Invitations" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Imports" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Imports" SET "MapId" = unhex(replace("MapId", '-', '')) WHERE typeof("MapId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "Imports" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "ImportRejections" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "ImportRejections" SET "ImportId" = unhex(replace("ImportId", '-', '')) WHERE typeof("ImportId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "ImportRejections" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "TouchpointId" = unhex(replace("TouchpointId", '-', '')) WHERE typeof("TouchpointId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "SurveyId" = unhex(replace("SurveyId", '-', '')) WHERE typeof("SurveyId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "SurveyAnswerId" = unhex(replace("SurveyAnswerId", '-', '')) WHERE typeof("SurveyAnswerId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "MapId" = unhex(replace("MapId", '-', '')) WHERE typeof("MapId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "ImportId" = unhex(replace("ImportId", '-', '')) WHERE typeof("ImportId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
            migrationBuilder.Sql("""UPDATE "ApiKeys" SET "WorkspaceId" = unhex(replace("WorkspaceId", '-', '')) WHERE typeof("WorkspaceId") = 'text';""");
            migrationBuilder.Sql("""UPDATE "ApiKeys" SET "Id" = unhex(replace("Id", '-', '')) WHERE typeof("Id") = 'text';""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<bool>(
                name: "RedactPersonalData",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Workspaces",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "Touchpoints",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "StageId",
                table: "Touchpoints",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "MapId",
                table: "Touchpoints",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Touchpoints",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "Surveys",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "TouchpointId",
                table: "Surveys",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "MapId",
                table: "Surveys",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Surveys",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "SurveyAnswers",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "SurveyId",
                table: "SurveyAnswers",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "InvitationId",
                table: "SurveyAnswers",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "SurveyAnswers",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "Stages",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "MapId",
                table: "Stages",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Stages",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "RetrainJobs",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "RequestedByKeyId",
                table: "RetrainJobs",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "RetrainJobs",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "Maps",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<long>(
                name: "EvidenceVersion",
                table: "Maps",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldDefaultValue: 0L);

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Maps",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "LaneSuggestions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "TouchpointId",
                table: "LaneSuggestions",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "StageId",
                table: "LaneSuggestions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "MapId",
                table: "LaneSuggestions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "LaneSuggestions",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "Invitations",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "SurveyId",
                table: "Invitations",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Invitations",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "Imports",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "MapId",
                table: "Imports",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "Imports",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "ImportRejections",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "ImportId",
                table: "ImportRejections",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "ImportRejections",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "TouchpointId",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "SurveyId",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "SurveyAnswerId",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<bool>(
                name: "SentimentCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<bool>(
                name: "PainPointCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "MapId",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<bool>(
                name: "LowConfidence",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "ImportId",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);

            migrationBuilder.AlterColumn<bool>(
                name: "EmotionsCorrected",
                table: "FeedbackItems",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "FeedbackItems",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "WorkspaceId",
                table: "ApiKeys",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AlterColumn<Guid>(
                name: "Id",
                table: "ApiKeys",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");
            
            migrationBuilder.Sql("PRAGMA defer_foreign_keys = ON;");
            migrationBuilder.Sql("""UPDATE "Workspaces" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "StageId" = substr(hex("StageId"), 1, 8) || '-' || substr(hex("StageId"), 9, 4) || '-' || substr(hex("StageId"), 13, 4) || '-' || substr(hex("StageId"), 17, 4) || '-' || substr(hex("StageId"), 21) WHERE typeof("StageId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "MapId" = substr(hex("MapId"), 1, 8) || '-' || substr(hex("MapId"), 9, 4) || '-' || substr(hex("MapId"), 13, 4) || '-' || substr(hex("MapId"), 17, 4) || '-' || substr(hex("MapId"), 21) WHERE typeof("MapId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Touchpoints" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "TouchpointId" = substr(hex("TouchpointId"), 1, 8) || '-' || substr(hex("TouchpointId"), 9, 4) || '-' || substr(hex("TouchpointId"), 13, 4) || '-' || substr(hex("TouchpointId"), 17, 4) || '-' || substr(hex("TouchpointId"), 21) WHERE typeof("TouchpointId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "MapId" = substr(hex("MapId"), 1, 8) || '-' || substr(hex("MapId"), 9, 4) || '-' || substr(hex("MapId"), 13, 4) || '-' || substr(hex("MapId"), 17, 4) || '-' || substr(hex("MapId"), 21) WHERE typeof("MapId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Surveys" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "SurveyId" = substr(hex("SurveyId"), 1, 8) || '-' || substr(hex("SurveyId"), 9, 4) || '-' || substr(hex("SurveyId"), 13, 4) || '-' || substr(hex("SurveyId"), 17, 4) || '-' || substr(hex("SurveyId"), 21) WHERE typeof("SurveyId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "InvitationId" = substr(hex("InvitationId"), 1, 8) || '-' || substr(hex("InvitationId"), 9, 4) || '-' || substr(hex("InvitationId"), 13, 4) || '-' || substr(hex("InvitationId"), 17, 4) || '-' || substr(hex("InvitationId"), 21) WHERE typeof("InvitationId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "SurveyAnswers" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Stages" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Stages" SET "MapId" = substr(hex("MapId"), 1, 8) || '-' || substr(hex("MapId"), 9, 4) || '-' || substr(hex("MapId"), 13, 4) || '-' || substr(hex("MapId"), 17, 4) || '-' || substr(hex("MapId"), 21) WHERE typeof("MapId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Stages" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "RetrainJobs" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "RetrainJobs" SET "RequestedByKeyId" = substr(hex("RequestedByKeyId"), 1, 8) || '-' || substr(hex("RequestedByKeyId"), 9, 4) || '-' || substr(hex("RequestedByKeyId"), 13, 4) || '-' || substr(hex("RequestedByKeyId"), 17, 4) || '-' || substr(hex("RequestedByKeyId"), 21) WHERE typeof("RequestedByKeyId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "RetrainJobs" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Maps" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Maps" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "TouchpointId" = substr(hex("TouchpointId"), 1, 8) || '-' || substr(hex("TouchpointId"), 9, 4) || '-' || substr(hex("TouchpointId"), 13, 4) || '-' || substr(hex("TouchpointId"), 17, 4) || '-' || substr(hex("TouchpointId"), 21) WHERE typeof("TouchpointId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "StageId" = substr(hex("StageId"), 1, 8) || '-' || substr(hex("StageId"), 9, 4) || '-' || substr(hex("StageId"), 13, 4) || '-' || substr(hex("StageId"), 17, 4) || '-' || substr(hex("StageId"), 21) WHERE typeof("StageId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "MapId" = substr(hex("MapId"), 1, 8) || '-' || substr(hex("MapId"), 9, 4) || '-' || substr(hex("MapId"), 13, 4) || '-' || substr(hex("MapId"), 17, 4) || '-' || substr(hex("MapId"), 21) WHERE typeof("MapId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "LaneSuggestions" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Invitations" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Invitations" SET "SurveyId" = substr(hex("SurveyId"), 1, 8) || '-' || substr(hex("SurveyId"), 9, 4) || '-' || substr(hex("SurveyId"), 13, 4) || '-' || substr(hex("SurveyId"), 17, 4) || '-' || substr(hex("SurveyId"), 21) WHERE typeof("SurveyId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Invitations" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Imports" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Imports" SET "MapId" = substr(hex("MapId"), 1, 8) || '-' || substr(hex("MapId"), 9, 4) || '-' || substr(hex("MapId"), 13, 4) || '-' || substr(hex("MapId"), 17, 4) || '-' || substr(hex("MapId"), 21) WHERE typeof("MapId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "Imports" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "ImportRejections" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "ImportRejections" SET "ImportId" = substr(hex("ImportId"), 1, 8) || '-' || substr(hex("ImportId"), 9, 4) || '-' || substr(hex("ImportId"), 13, 4) || '-' || substr(hex("ImportId"), 17, 4) || '-' || substr(hex("ImportId"), 21) WHERE typeof("ImportId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "ImportRejections" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "TouchpointId" = substr(hex("TouchpointId"), 1, 8) || '-' || substr(hex("TouchpointId"), 9, 4) || '-' || substr(hex("TouchpointId"), 13, 4) || '-' || substr(hex("TouchpointId"), 17, 4) || '-' || substr(hex("TouchpointId"), 21) WHERE typeof("TouchpointId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "SurveyId" = substr(hex("SurveyId"), 1, 8) || '-' || substr(hex("SurveyId"), 9, 4) || '-' || substr(hex("SurveyId"), 13, 4) || '-' || substr(hex("SurveyId"), 17, 4) || '-' || substr(hex("SurveyId"), 21) WHERE typeof("SurveyId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "SurveyAnswerId" = substr(hex("SurveyAnswerId"), 1, 8) || '-' || substr(hex("SurveyAnswerId"), 9, 4) || '-' || substr(hex("SurveyAnswerId"), 13, 4) || '-' || substr(hex("SurveyAnswerId"), 17, 4) || '-' || substr(hex("SurveyAnswerId"), 21) WHERE typeof("SurveyAnswerId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "MapId" = substr(hex("MapId"), 1, 8) || '-' || substr(hex("MapId"), 9, 4) || '-' || substr(hex("MapId"), 13, 4) || '-' || substr(hex("MapId"), 17, 4) || '-' || substr(hex("MapId"), 21) WHERE typeof("MapId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "ImportId" = substr(hex("ImportId"), 1, 8) || '-' || substr(hex("ImportId"), 9, 4) || '-' || substr(hex("ImportId"), 13, 4) || '-' || substr(hex("ImportId"), 17, 4) || '-' || substr(hex("ImportId"), 21) WHERE typeof("ImportId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "FeedbackItems" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "ApiKeys" SET "WorkspaceId" = substr(hex("WorkspaceId"), 1, 8) || '-' || substr(hex("WorkspaceId"), 9, 4) || '-' || substr(hex("WorkspaceId"), 13, 4) || '-' || substr(hex("WorkspaceId"), 17, 4) || '-' || substr(hex("WorkspaceId"), 21) WHERE typeof("WorkspaceId") = 'blob';""");
            migrationBuilder.Sql("""UPDATE "ApiKeys" SET "Id" = substr(hex("Id"), 1, 8) || '-' || substr(hex("Id"), 9, 4) || '-' || substr(hex("Id"), 13, 4) || '-' || substr(hex("Id"), 17, 4) || '-' || substr(hex("Id"), 21) WHERE typeof("Id") = 'blob';""");
        }
    }
}
