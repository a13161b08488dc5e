namespace JourneyFeedback.Api.Auth;

internal sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }

    /// <summary>SHA-256 of the key; the key itself is shown once and never stored.</summary>
    public required string KeyHash { get; set; }

    /// <summary>The first characters of the key, so a user can tell keys apart in a list.</summary>
    public required string Prefix { get; set; }

    /// <summary>The instance administrator's key (configured <c>Auth:BootstrapKey</c> or generated at first start).</summary>
    public bool IsBootstrap { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? RevokedAt { get; set; }

    /// <summary>A new key row plus the secret to show once.</summary>
    public static (ApiKey Key, string Secret) Create(Guid workspaceId, string name, string role, string? secret = null, bool isBootstrap = false)
    {
        secret ??= ApiKeyHasher.NewKey();
        var key = new ApiKey
        {
            WorkspaceId = workspaceId,
            Name = name,
            Role = role,
            KeyHash = ApiKeyHasher.Hash(secret),
            Prefix = ApiKeyHasher.PrefixOf(secret),
            IsBootstrap = isBootstrap,
        };
        return (key, secret);
    }
}
