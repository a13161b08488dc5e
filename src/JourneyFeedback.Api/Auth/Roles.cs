namespace JourneyFeedback.Api.Auth;

/// <summary>Roles a key can have. An admin may do everything inside its own workspace.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Author = "author";
    public const string Researcher = "researcher";
    public const string Agent = "agent";
    public const string Viewer = "viewer";

    public static readonly string[] All = [Admin, Author, Researcher, Agent, Viewer];
}

/// <summary>Authorization policies, named by what they allow.</summary>
internal static class Policies
{
    /// <summary>Any valid key of the workspace (viewer and up).</summary>
    public const string Read = "read";
    public const string ManageKeys = "manage-keys";
    public const string EditMaps = "edit-maps";
    public const string EditSegments = "edit-segments";
    public const string EditSurveys = "edit-surveys";
    public const string SendInvitations = "send-invitations";
    public const string RunImports = "run-imports";
    public const string InstanceAdmin = "instance-admin";
    public const string ManageWebhooks = "manage-webhooks";
}

internal static class ApiClaims
{
    public const string WorkspaceId = "workspace_id";
    public const string KeyId = "key_id";
    public const string InstanceAdmin = "instance_admin";
}
