using System.Net;
using System.Net.Sockets;

namespace JourneyFeedback.Api.Webhooks;

/// <summary>
/// Where deliveries may go (SSRF): https only unless Webhooks:AllowHttp, and never to loopback, private, link-local,
/// CGNAT, metadata, multicast or reserved addresses unless Webhooks:AllowPrivateTargets. Checked when a subscription is
/// saved and again at every connection, on the addresses DNS gives then (a name that starts resolving inwards is caught).
/// </summary>
internal static class WebhookTargets
{
    /// <summary>Why <paramref name="url"/> cannot be a target as written (scheme, form, a literal address), or null.</summary>
    public static string? CheckUrl(string url, WebhooksOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return "Must be an absolute URL, e.g. https://hooks.example.com/journeyfeedback.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.AllowHttp))
            return options.AllowHttp ? "Must be an http or https URL." : "Must be an https URL (http needs Webhooks:AllowHttp).";
        if (uri.UserInfo.Length > 0) return "Must not contain a user name or password; put credentials in the path or verify the signature instead.";
        if (uri.Fragment.Length > 0) return "Must not contain a fragment (#…).";
        if (options.AllowPrivateTargets) return null;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && Refused(literal) is { } kind)
            return $"Points at a {kind} address ({literal}); such targets need Webhooks:AllowPrivateTargets.";
        if (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return "Points at this machine (localhost); such targets need Webhooks:AllowPrivateTargets.";
        return null;
    }

    /// <summary>The resolved addresses of a target's host, or why one of them is refused.</summary>
    public static async Task<string?> CheckResolvedAsync(string host, WebhooksOptions options, CancellationToken ct)
    {
        return options.AllowPrivateTargets ? null : RefusalOf(host, await ResolveAsync(host, ct));
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    /// <summary>Why one of the addresses <paramref name="host"/> resolved to is refused, or null when all are public.</summary>
    private static string? RefusalOf(string host, IPAddress[] addresses)
    {
        foreach (var address in addresses)
            if (Refused(address) is { } kind) return $"{host} resolves to a {kind} address ({address}); such targets need Webhooks:AllowPrivateTargets.";
        return null;
    }

    /// <summary>What kind of internal address this is ("loopback", "private"…), or null for a public one.</summary>
    public static string? Refused(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return (b[0], b[1]) switch
            {
                (0, _) => "reserved",
                (10, _) => "private",
                (100, >= 64 and <= 127) => "shared (CGNAT) or metadata",
                (127, _) => "loopback",
                (169, 254) => "link-local or metadata",
                (172, >= 16 and <= 31) => "private",
                (192, 168) => "private",
                (192, 0) when b[2] == 0 => "reserved",
                (198, 18 or 19) => "reserved",
                ( >= 224, _) => "multicast or reserved",
                _ => null,
            };
        }
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.Equals(IPAddress.IPv6Any)) return "reserved";
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
        if (address.IsIPv6Multicast) return "multicast";
        var bytes = address.GetAddressBytes();
        if ((bytes[0] & 0xFE) == 0xFC) return "private"; // fc00::/7, unique local (fd00:ec2::254 is a metadata address)
        // NAT64 (64:ff9b::/96) carries an IPv4 address: judge that one.
        if (bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return Refused(new IPAddress(bytes.AsSpan(12, 4)));
        return null;
    }

    /// <summary>
    /// The HTTP handler of deliveries: every connection checks the addresses it is about to use; no proxy (it would
    /// connect for us, past the check), no redirects (a 3xx is a failed attempt, as the specification says).
    /// </summary>
    public static SocketsHttpHandler Handler(WebhooksOptions options) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = options.MaxConcurrentPerSubscription,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = await ResolveAsync(host, ct);
            if (!options.AllowPrivateTargets && RefusalOf(host, addresses) is { } refusal) throw new TargetRefusedException("Refused: " + refusal);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

internal sealed class TargetRefusedException(string message) : Exception(message);
