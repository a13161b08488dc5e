namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>The API with extra settings, for tests of configuration (limits, start-up behaviour) and of several instances.</summary>
public sealed class ConfiguredApp(Dictionary<string, string?> settings, TestDatabase? database = null) : JourneyFeedbackApp(settings, database);
