using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JourneyFeedback.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Workspaces",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IsDefault = table.Column<bool>(type: "INTEGER", nullable: false),
                    RedactPersonalData = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Workspaces", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IsBootstrap = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiKeys_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FeedbackItems",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", nullable: true),
                    ExternalId = table.Column<string>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", nullable: true),
                    Source = table.Column<string>(type: "TEXT", nullable: true),
                    Rating = table.Column<double>(type: "REAL", nullable: true),
                    RatingScale = table.Column<double>(type: "REAL", nullable: true),
                    Title = table.Column<string>(type: "TEXT", nullable: true),
                    Language = table.Column<string>(type: "TEXT", nullable: true),
                    Participant = table.Column<string>(type: "TEXT", nullable: true),
                    Question = table.Column<string>(type: "TEXT", nullable: true),
                    Metadata = table.Column<string>(type: "TEXT", nullable: true),
                    ImportId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    LineNumber = table.Column<long>(type: "INTEGER", nullable: true),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    SurveyId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    SurveyAnswerId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    InvitationRef = table.Column<string>(type: "TEXT", nullable: true),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    TouchpointId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    MatchReason = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    MatchConfidence = table.Column<double>(type: "REAL", nullable: true),
                    MatchedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Sentiment = table.Column<string>(type: "TEXT", nullable: true),
                    SentimentNegative = table.Column<double>(type: "REAL", nullable: true),
                    SentimentNeutral = table.Column<double>(type: "REAL", nullable: true),
                    SentimentPositive = table.Column<double>(type: "REAL", nullable: true),
                    Emotions = table.Column<string>(type: "TEXT", nullable: true),
                    PainPoint = table.Column<string>(type: "TEXT", nullable: true),
                    PainPoints = table.Column<string>(type: "TEXT", nullable: true),
                    KeyPhrases = table.Column<string>(type: "TEXT", nullable: true),
                    DetectedLanguage = table.Column<string>(type: "TEXT", nullable: true),
                    LowConfidence = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    ModelVersion = table.Column<string>(type: "TEXT", nullable: true),
                    AnalyzedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentimentCorrected = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    EmotionsCorrected = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    PainPointCorrected = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    CorrectedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FeedbackItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FeedbackItems_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Imports",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    FileSize = table.Column<long>(type: "INTEGER", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    MappingJson = table.Column<string>(type: "TEXT", nullable: true),
                    ResolvedMapping = table.Column<string>(type: "TEXT", nullable: false),
                    DateFormat = table.Column<string>(type: "TEXT", nullable: true),
                    SlashDateOrder = table.Column<string>(type: "TEXT", nullable: true),
                    RatingScale = table.Column<double>(type: "REAL", nullable: true),
                    RedactPersonalData = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DetectedEncoding = table.Column<string>(type: "TEXT", nullable: true),
                    DetectedDelimiter = table.Column<string>(type: "TEXT", nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", nullable: true),
                    BytesRead = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    Imported = table.Column<long>(type: "INTEGER", nullable: false),
                    SkippedDuplicates = table.Column<long>(type: "INTEGER", nullable: false),
                    Rejected = table.Column<long>(type: "INTEGER", nullable: false),
                    LastCommittedRow = table.Column<long>(type: "INTEGER", nullable: false),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    ClaimedBy = table.Column<string>(type: "TEXT", nullable: true),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Imports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Imports_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Maps",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Goal = table.Column<string>(type: "TEXT", nullable: true),
                    Template = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Persona = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    EvidenceVersion = table.Column<long>(type: "INTEGER", nullable: false, defaultValue: 0L),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Maps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Maps_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RetrainJobs",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    RequestedByKeyId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SentimentCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    EmotionCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    PainPointCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    WeakLabelsFromRatings = table.Column<int>(type: "INTEGER", nullable: false),
                    WeakLabelsFromNps = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxRowsPerSource = table.Column<int>(type: "INTEGER", nullable: true),
                    Tolerance = table.Column<double>(type: "REAL", nullable: false),
                    CurrentVersion = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    CandidateVersion = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    CurrentMetrics = table.Column<string>(type: "TEXT", nullable: false),
                    CandidateMetrics = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetrainJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RetrainJobs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Surveys",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Options = table.Column<string>(type: "TEXT", nullable: false),
                    AllowOther = table.Column<bool>(type: "INTEGER", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    TouchpointId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    IsOpen = table.Column<bool>(type: "INTEGER", nullable: false),
                    InvitationTtlHours = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Surveys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Surveys_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ImportRejections",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ImportId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    LineNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    Column = table.Column<string>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    Excerpt = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRejections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportRejections_Imports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "Imports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LaneSuggestions",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    StageId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Lane = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    TouchpointId = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PainPoint = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Emotion = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Phrase = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    EvidenceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LaneSuggestions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LaneSuggestions_Maps_MapId",
                        column: x => x.MapId,
                        principalTable: "Maps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Stages",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Lanes = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Stages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Stages_Maps_MapId",
                        column: x => x.MapId,
                        principalTable: "Maps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Invitations",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SurveyId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ExternalRef = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Metadata = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Invitations_Surveys_SurveyId",
                        column: x => x.SurveyId,
                        principalTable: "Surveys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Touchpoints",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    MapId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    StageId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Keywords = table.Column<string>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Touchpoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Touchpoints_Stages_StageId",
                        column: x => x.StageId,
                        principalTable: "Stages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SurveyAnswers",
                columns: table => new
                {
                    Id = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WorkspaceId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SurveyId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    InvitationId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: true),
                    OptionId = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    OtherText = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Comment = table.Column<string>(type: "TEXT", nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyAnswers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SurveyAnswers_Invitations_InvitationId",
                        column: x => x.InvitationId,
                        principalTable: "Invitations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_KeyHash",
                table: "ApiKeys",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_WorkspaceId",
                table: "ApiKeys",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_ImportId_LineNumber",
                table: "FeedbackItems",
                columns: new[] { "ImportId", "LineNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_MapId_TouchpointId",
                table: "FeedbackItems",
                columns: new[] { "MapId", "TouchpointId" },
                filter: "\"MapId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_NotAnalyzed",
                table: "FeedbackItems",
                column: "Id",
                filter: "\"AnalyzedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_NotMatched",
                table: "FeedbackItems",
                column: "Id",
                filter: "\"MatchedAt\" IS NULL AND \"MapId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_TouchpointId",
                table: "FeedbackItems",
                column: "TouchpointId",
                filter: "\"TouchpointId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_WorkspaceId_DedupKey",
                table: "FeedbackItems",
                columns: new[] { "WorkspaceId", "DedupKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FeedbackItems_WorkspaceId_OccurredAt",
                table: "FeedbackItems",
                columns: new[] { "WorkspaceId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRejections_ImportId_LineNumber",
                table: "ImportRejections",
                columns: new[] { "ImportId", "LineNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Imports_Status",
                table: "Imports",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Imports_WorkspaceId_CreatedAt",
                table: "Imports",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_SurveyId_CreatedAt",
                table: "Invitations",
                columns: new[] { "SurveyId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_SurveyId_ExternalRef",
                table: "Invitations",
                columns: new[] { "SurveyId", "ExternalRef" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_Token",
                table: "Invitations",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LaneSuggestions_MapId_Status",
                table: "LaneSuggestions",
                columns: new[] { "MapId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Maps_WorkspaceId",
                table: "Maps",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_RetrainJobs_OneActivePerWorkspace",
                table: "RetrainJobs",
                column: "WorkspaceId",
                unique: true,
                filter: "\"Status\" IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "IX_RetrainJobs_Status",
                table: "RetrainJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_RetrainJobs_WorkspaceId_CreatedAt",
                table: "RetrainJobs",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Stages_MapId_Position",
                table: "Stages",
                columns: new[] { "MapId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyAnswers_InvitationId",
                table: "SurveyAnswers",
                column: "InvitationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SurveyAnswers_SurveyId_AnsweredAt",
                table: "SurveyAnswers",
                columns: new[] { "SurveyId", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_WorkspaceId",
                table: "Surveys",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_MapId",
                table: "Touchpoints",
                column: "MapId");

            migrationBuilder.CreateIndex(
                name: "IX_Touchpoints_StageId",
                table: "Touchpoints",
                column: "StageId");

            // Not part of EF's model: the database keeps Maps.EvidenceVersion current (see EvidenceVersionTriggers).
            migrationBuilder.Sql(EvidenceVersionTriggers.InitialCreateSqlite);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EvidenceVersionTriggers.InitialDropSqlite);

            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "FeedbackItems");

            migrationBuilder.DropTable(
                name: "ImportRejections");

            migrationBuilder.DropTable(
                name: "LaneSuggestions");

            migrationBuilder.DropTable(
                name: "RetrainJobs");

            migrationBuilder.DropTable(
                name: "SurveyAnswers");

            migrationBuilder.DropTable(
                name: "Touchpoints");

            migrationBuilder.DropTable(
                name: "Imports");

            migrationBuilder.DropTable(
                name: "Invitations");

            migrationBuilder.DropTable(
                name: "Stages");

            migrationBuilder.DropTable(
                name: "Surveys");

            migrationBuilder.DropTable(
                name: "Maps");

            migrationBuilder.DropTable(
                name: "Workspaces");
        }
    }
}
