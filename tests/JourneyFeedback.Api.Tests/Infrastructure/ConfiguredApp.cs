namespace JourneyFeedback.Api.Tests.Infrastructure;

/// <summary>The API with extra settings, for tests of configuration (limits, start-up behaviour).</summary>
public sealed class ConfiguredApp(Dictionary<string, string?> settings) : JourneyFeedbackApp(settings);
