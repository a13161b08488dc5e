using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <summary>
    /// Turns GUIDs stored as text (before <see cref="GuidsAsBlobs"/>) into the 16-byte blobs the model now stores. A
    /// migration of its own: EF Core rebuilds the altered tables at the end of a migration, after any SQL in it.
    /// </summary>
    public partial class GuidTextToBlobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // GuidsAsBlobs rebuilt the tables with the old text values: each becomes the 16 bytes it spells, in the same (RFC 9562) order.
            // Parent and child keys change in one transaction, so foreign keys are checked once, at its commit.
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
