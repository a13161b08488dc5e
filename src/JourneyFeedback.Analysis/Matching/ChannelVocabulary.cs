namespace JourneyFeedback.Analysis.Matching;

/// <summary>
/// What exports call a channel or a source, folded to a few canonical channels ("Live Chat", "webchat", "Intercom" → chat;
/// "Google Play", "App Store" → app). This is vocabulary about channels, which is the same in every domain; the
/// touchpoints themselves always come from the user's map.
/// </summary>
public static class ChannelVocabulary
{
    private static readonly Dictionary<string, string> Canonical = Build(new()
    {
        ["chat"] = ["chat", "live chat", "livechat", "webchat", "web chat", "chatbot", "chat bot", "messenger", "whatsapp", "intercom", "drift", "livechat inc", "in-app chat"],
        ["email"] = ["email", "e-mail", "mail", "emails", "e-mails", "inbox"],
        ["phone"] = ["phone", "telephone", "call", "calls", "voice", "hotline", "call centre", "call center", "contact centre", "contact center", "ivr", "phone line"],
        ["web"] = ["web", "website", "site", "online", "browser", "desktop", "web site", "webpage"],
        ["app"] = ["app", "apps", "mobile", "mobile app", "ios", "android", "google play", "play store", "app store", "apple app store", "google play store", "iphone"],
        ["social"] = ["social", "social media", "instagram", "facebook", "tiktok", "twitter", "x", "linkedin", "reddit", "threads"],
        ["review-site"] = ["review site", "review sites", "reviews", "trustpilot", "yelp", "google reviews", "tripadvisor", "feefo", "reviews.io", "g2", "capterra"],
        ["store"] = ["store", "shop", "in store", "in-store", "branch", "in person", "in-person", "retail store", "showroom"],
        ["support"] = ["support", "helpdesk", "help desk", "ticket", "tickets", "zendesk", "freshdesk", "service desk", "servicedesk", "customer service", "jira service management"],
        ["sms"] = ["sms", "text message", "text", "texts"],
        ["survey"] = ["survey", "nps", "csat", "ces", "questionnaire"],
        ["ads"] = ["ads", "ad", "advert", "adverts", "advertising", "sponsored", "display", "ppc", "paid ads", "paid social"],
        ["search"] = ["search", "seo", "organic search", "google search", "bing"],
        ["video"] = ["video", "youtube", "vimeo"],
        ["newsletter"] = ["newsletter", "newsletters", "mailing", "mailchimp"],
        ["referral"] = ["referral", "referrals", "word of mouth", "friend", "recommendation"],
        ["delivery"] = ["delivery", "courier", "shipping", "shipment", "dispatch"],
        ["checkout"] = ["checkout", "check-out", "basket", "cart", "payment page"],
        ["post"] = ["post", "letter", "mail post", "postal"],
    });

    /// <summary>The canonical channel of a value ("Live Chat" → "chat"), or the value's own key when it is not known.</summary>
    public static string Canonicalize(string? value)
    {
        var key = MatchText.Key(value);
        return Canonical.TryGetValue(key, out var canonical) ? canonical : key;
    }

    private static Dictionary<string, string> Build(Dictionary<string, string[]> groups)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (canonical, names) in groups)
        {
            map[MatchText.Key(canonical)] = canonical;
            foreach (var name in names) map.TryAdd(MatchText.Key(name), canonical);
        }
        return map;
    }
}
