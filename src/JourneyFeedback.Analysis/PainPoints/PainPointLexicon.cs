namespace JourneyFeedback.Analysis.PainPoints;

/// <summary>
/// Hand-written cue words per pain-point category. They enter the shared feature vector as one
/// extra feature per category (how many cue words the text contains), which lets the pain-point
/// model generalise from a few hundred labelled texts. Entries match as word prefixes
/// ("deliver" matches "delivery", "delivered"); entries starting with '=' match whole words only.
/// </summary>
internal static class PainPointLexicon
{
    private static readonly string[][] CuesByCategory =
    [
        // delivery-shipping
        ["deliver", "shipping", "shipped", "=ship", "ships", "courier", "parcel", "package", "tracking", "=track", "dispatch",
         "arriv", "postman", "driver", "=van", "depot", "transit", "customs", "locker", "doorstep", "postage", "=dpd", "=ups", "dhl"],
        // price-fees-billing
        ["price", "pricing", "pricey", "=fee", "fees", "=charge", "charged", "charges", "overcharg", "=bill", "billed", "billing",
         "=bills", "invoice", "expensive", "=cost", "costs", "overpriced", "afford", "discount", "roaming", "subscription", "vat",
         "exchange", "=rate", "statement", "money", "worth", "=paying"],
        // payment-checkout
        ["payment", "=pay", "=paid", "checkout", "declin", "transaction", "transfer", "pending", "paypal", "klarna", "=top", "topup",
         "basket", "purchase", "=atm", "withdraw", "=card", "authoris", "authoriz", "secure", "instalment", "failed", "=fail", "fails"],
        // product-quality
        ["broke", "broken", "faulty", "defect", "quality", "damaged", "crack", "leak", "poor", "flimsy", "material", "battery",
         "stale", "mould", "rott", "noise", "buzz", "shrank", "peel", "apart", "working", "stopped", "cheap", "fabric", "durab",
         "warped", "overheat", "blurry", "product", "dropp", "signal", "connection"],
        // usability-website-app
        ["=app", "=apps", "website", "=site", "crash", "=slow", "load", "button", "navigat", "=menu", "screen", "=page", "pages",
         "=update", "freez", "=bug", "bugs", "glitch", "=ui", "design", "search", "filter", "settings", "font", "laggy", "browser",
         "click", "=tap", "taps", "interface", "confusing", "scroll", "layout", "widget", "find"],
        // account-login-verification
        ["=log", "login", "logged", "logging", "password", "passcode", "=pin", "verif", "identity", "=id", "account", "locked",
         "suspend", "=fa", "factor", "=code", "=sms", "selfie", "passport", "fingerprint", "=face", "sign", "reset", "hacked",
         "username", "security", "unblock", "blocked", "=access"],
        // support-responsiveness
        ["wait", "=hold", "queue", "reply", "replies", "replied", "respon", "answer", "callback", "reach", "=phone", "nobody",
         "anyone", "hours", "=days", "weeks", "ignored", "unanswered", "contact", "offline", "available", "busy", "picks", "heard"],
        // support-resolution
        ["agent", "support", "staff", "rude", "unhelpful", "solve", "solved", "resolv", "=fix", "fixed", "escalat", "supervisor",
         "manager", "ticket", "closed", "script", "useless", "incompetent", "complaint", "helpdesk", "technician", "representative",
         "customer service", "condescending", "promised", "=help", "=case"],
        // refunds-returns
        ["refund", "return", "=back", "reimburs", "restocking", "=credit", "exchange", "label", "cooling", "=sent", "=send",
         "eligible", "deposit", "=money"],
        // communication-information
        ["inform", "=told", "notif", "=tell", "unclear", "explain", "letter", "terms", "print", "status", "message", "description",
         "instructions", "=faq", "contradict", "vague", "=know", "announc", "jargon", "=wrong", "=found", "=changed", "reminder",
         "outdated", "advance", "mention"],
        // none
        ["thank", "great", "=love", "=loved", "happy", "excellent", "recommend", "=good", "perfect", "fantastic", "=nice",
         "brilliant", "pleased", "friendly", "smooth", "lovely", "=easy", "reliable", "question", "=best", "=wonder"],
    ];

    public static int CategoryCount => CuesByCategory.Length;

    private static readonly Dictionary<string, int> WholeWords = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, int> Prefixes = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> WholeWordLookup;
    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> PrefixLookup;
    private static readonly int MaxPrefixLength;

    static PainPointLexicon()
    {
        for (int category = 0; category < CuesByCategory.Length; category++)
        {
            foreach (var cue in CuesByCategory[category])
            {
                if (cue.Contains(' ', StringComparison.Ordinal))
                {
                    continue; // single tokens only
                }
                var target = cue.StartsWith('=') ? WholeWords : Prefixes;
                string key = cue.TrimStart('=');
                target[key] = target.GetValueOrDefault(key) | (1 << category);
                if (target == Prefixes)
                {
                    MaxPrefixLength = Math.Max(MaxPrefixLength, key.Length);
                }
            }
        }
        WholeWordLookup = WholeWords.GetAlternateLookup<ReadOnlySpan<char>>();
        PrefixLookup = Prefixes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Bit mask of the categories whose cues match this (lower-case) word.</summary>
    public static int Match(ReadOnlySpan<char> word)
    {
        int mask = WholeWordLookup.TryGetValue(word, out int whole) ? whole : 0;
        for (int length = 3; length <= Math.Min(word.Length, MaxPrefixLength); length++)
        {
            if (PrefixLookup.TryGetValue(word[..length], out int prefix))
            {
                mask |= prefix;
            }
        }
        return mask;
    }
}
