// Text analysis for JourneyFeedback lives here (ML.NET); see the analysis issue.
[assembly: System.CLSCompliant(false)]
