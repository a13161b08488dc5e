namespace JourneyFeedback.Analysis.PainPoints;

/// <summary>A pain-point category with the definition annotators (and the model card) use.</summary>
public sealed record PainPointCategory(string Name, string Definition);

/// <summary>
/// The pain-point taxonomy. The order is the order of the model's score vector.
/// A text gets the category of its main complaint; "none" covers praise, neutral questions and small talk.
/// </summary>
public static class PainPointTaxonomy
{
    public const string None = "none";

    public static IReadOnlyList<PainPointCategory> All { get; } =
    [
        new("delivery-shipping", "Getting the product or card to the customer: late, lost, damaged in transit, wrong address, tracking, courier behaviour, dispatch time."),
        new("price-fees-billing", "What the customer is charged: price level, hidden or unexpected fees, wrong or duplicate charges on a bill/statement, exchange-rate costs, subscription price changes."),
        new("payment-checkout", "Paying does not work: declined or failed payments and transfers, pending payments, broken checkout, missing payment methods, charged without an order."),
        new("product-quality", "The product or service itself is faulty or below expectations: broken, defective, poor material, not as described, card or connection not working."),
        new("usability-website-app", "The website or app is hard to use or misbehaves: crashes, slowness, confusing navigation, missing settings, accessibility."),
        new("account-login-verification", "Getting into or proving ownership of an account: login, passwords/PIN, 2FA codes, identity or address verification, locked or suspended accounts."),
        new("support-responsiveness", "Reaching support: long queues and hold times, unanswered e-mails, no callback, support unavailable."),
        new("support-resolution", "Support was reached but did not solve the issue: wrong or scripted answers, tickets closed unresolved, rude or unhelpful staff, broken promises."),
        new("refunds-returns", "Sending products back and getting money back: return process, return costs, refund delays, refused or partial refunds."),
        new("communication-information", "The customer was not told or was told wrongly: missing notifications, unclear or contradictory information, changes not announced, poor product information."),
        new(None, "No pain point: praise, thanks, neutral questions or statements."),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToArray();

    /// <summary>
    /// "Other … issues" in the languages with models of their own: the name of a theme whose items share no phrase,
    /// in the items' language (Polish, Italian and Romanian inflect, so their phrases repeat less often than English ones).
    /// </summary>
    public static string OtherIssuesName(int category, string? language)
    {
        if (category < 0 || category >= All.Count)
        {
            return "Other issues";
        }
        if (language is not null && OtherIssues.TryGetValue(language, out var localized))
        {
            return localized.Prefix + localized.Topics[category];
        }
        var words = All[category].Name.Split('-');
        var listed = words.Length == 1 ? words[0] : $"{string.Join(", ", words[..^1])} and {words[^1]}";
        return $"Other {listed} issues";
    }

    private static readonly Dictionary<string, (string Prefix, string[] Topics)> OtherIssues = new(StringComparer.Ordinal)
    {
        ["pl"] = ("Inne problemy: ", ["dostawa i wysyłka", "ceny, opłaty i rachunki", "płatności i zamawianie", "jakość produktu",
            "strona i aplikacja", "konto, logowanie i weryfikacja", "czas odpowiedzi obsługi", "rozwiązywanie zgłoszeń", "zwroty i reklamacje",
            "komunikacja i informacja", "bez problemu"]),
        ["it"] = ("Altri problemi: ", ["consegna e spedizione", "prezzi, costi e fatturazione", "pagamenti e checkout", "qualità del prodotto",
            "sito e app", "account, accesso e verifica", "tempi di risposta dell'assistenza", "risoluzione dei problemi", "resi e rimborsi",
            "comunicazione e informazioni", "nessun problema"]),
        ["ro"] = ("Alte probleme: ", ["livrare și expediere", "prețuri, taxe și facturare", "plăți și finalizarea comenzii", "calitatea produsului",
            "site și aplicație", "cont, autentificare și verificare", "timpul de răspuns al suportului", "rezolvarea problemelor",
            "retururi și rambursări", "comunicare și informare", "fără probleme"]),
    };

    internal static int IndexOf(string name)
    {
        for (int i = 0; i < All.Count; i++)
        {
            if (All[i].Name == name)
            {
                return i;
            }
        }
        throw new ArgumentException($"Unknown pain-point category '{name}'.", nameof(name));
    }
}
