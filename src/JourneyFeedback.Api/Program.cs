using JourneyFeedback.Api.AnalysisModels;
using JourneyFeedback.Api.Comparisons;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Evidence;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Imports;
using JourneyFeedback.Api.Insights;
using JourneyFeedback.Api.Journeys;
using JourneyFeedback.Api.Maps;
using JourneyFeedback.Api.Segments;
using JourneyFeedback.Api.Semantic;
using JourneyFeedback.Api.Shares;
using JourneyFeedback.Api.Surveys;
using JourneyFeedback.Api.Webhooks;
using JourneyFeedback.Api.Workspaces;

var builder = WebApplication.CreateBuilder(args);
// Hosting and the database read configuration while they register (Kestrel limits, provider, data folder); features only register services.
builder.AddHosting();
builder.AddDatabase();
builder.Services.AddApiKeyAuth();
builder.Services.AddSurveys();
builder.Services.AddImports();
builder.Services.AddAnalysis();
builder.Services.AddEvidence();
builder.Services.AddInsights();
builder.Services.AddJourneys();
builder.Services.AddSegments();
builder.Services.AddSemantic();
builder.Services.AddWebhooks();

var app = builder.Build();
app.UseHosting();
app.MapOpenApiAndSwaggerUi();
app.MapHealthChecks("/health");

var api = app.MapGroup("/api").RequireRateLimiting(RateLimitPolicies.Api);
api.MapWorkspaces();
api.MapKeys();
api.MapMaps();
api.MapSurveys();
api.MapImports();
api.MapEvidence();
api.MapInsights();
api.MapJourneys();
api.MapCustomers();
api.MapSegments();
api.MapComparisons();
api.MapAnalysis();
api.MapWebhooks();
api.MapShares();
app.MapSurveyLinks();
app.MapSharedViews();

var startup = await app.InitializeDatabaseAsync();
StartupBanner.PrintWhenStarted(app, startup);
app.Run();
