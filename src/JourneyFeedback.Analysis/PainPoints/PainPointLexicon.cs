namespace JourneyFeedback.Analysis.PainPoints;

/// <summary>
/// Hand-written cue words per pain-point category. They enter the shared feature vector as one
/// extra feature per category (how many cue words the text contains), which lets the pain-point
/// model generalise from a few hundred labelled texts. Entries match as word prefixes
/// ("deliver" matches "delivery", "delivered"); entries starting with '=' match whole words only.
/// Two lexicons: English, and one for Polish, Italian and Romanian together (their stems rarely collide), written
/// without diacritics because it is matched against the folded word.
/// </summary>
internal sealed class PainPointLexicon
{
    public static PainPointLexicon English { get; } = new(
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
    ]);

    /// <summary>Polish, Italian and Romanian cues (per category: Polish, then Italian, then Romanian), diacritics folded.</summary>
    public static PainPointLexicon PolishItalianRomanian { get; } = new(
    [
        // delivery-shipping
        ["dostaw", "przesyl", "paczk", "paczek", "kurier", "wysylk", "wyslan", "dotarl", "doszl", "paczkomat", "inpost", "=dpd",
         "sledzen", "doreczen", "awizo", "przyjech", "przyszl", "spozni",
         "consegn", "spedi", "pacco", "pacchi", "corrier", "tracciam", "=tracking", "arriv", "locker", "=poste", "bartolini",
         "=brt", "=gls", "imballo", "smistament",
         "livrar", "livrat", "colet", "curier", "=awb", "expedi", "ajuns", "sameday", "easybox", "urmarir", "intarzi"],
        // price-fees-billing
        ["cena", "ceny", "=cen", "oplat", "prowizj", "rachun", "faktur", "drogo", "kosztuj", "koszt", "abonament", "obciaz",
         "naliczon", "podwyz", "przeplac", "=zl", "=pln",
         "prezz", "costo", "=costa", "=caro", "=cara", "=cari", "tariff", "bollett", "fattur", "addebit", "canone", "abbonament",
         "commission", "rincar", "aument", "=spese", "=iva", "=euro",
         "=pret", "pretul", "preturi", "=tarif", "tarife", "comision", "=scump", "scumpa", "=cost", "costul", "taxa", "taxe",
         "=lei", "=ron", "majorar", "perceput", "debitat", "=tva"],
        // payment-checkout
        ["platnos", "zaplac", "placi", "placen", "=blik", "przelew", "transakcj", "odrzucon", "karta", "karty", "karte", "=karcie",
         "koszyk", "=raty", "pobran", "autoryzac",
         "pagament", "pagare", "=pago", "pagat", "carta", "bancomat", "satispay", "paypal", "bonifico", "transazion", "rifiutat",
         "carrello", "checkout", "=rata", "contrassegno",
         "plata", "=plati", "platit", "=card", "cardul", "=cos", "cosul", "tranzacti", "respins", "=ramburs", "refuzat", "=pos"],
        // product-quality
        ["zepsu", "uszkodz", "wadliw", "jakosc", "pekn", "=pekl", "rozpad", "przestal", "bateri", "material", "tandet", "produkt",
         "towar", "sprzet", "rozmiar",
         "rott", "difett", "qualita", "guast", "danneggi", "scadent", "prodott", "articol", "taglia", "crepat", "scaduto",
         "defect", "stricat", "calitat", "=rupt", "rupta", "deterior", "functioneaz", "baterie", "produs", "marime", "fisurat",
         "zgariat", "spart", "expirat"],
        // usability-website-app
        ["aplikacj", "=apka", "=apki", "=apce", "=apke", "strona", "stronie", "strony", "zawiesza", "=laguje", "ladowan",
         "przycisk", "=menu", "ekran", "aktualizacj", "=bug", "wyszukiw", "filtr", "ustawien", "niewygod", "intuicyj", "klikn",
         "wywala",
         "=app", "applicazion", "=sito", "=pagina", "pagine", "crash", "=lento", "=lenta", "caricament", "pulsant", "=tasto",
         "schermat", "aggiornament", "ricerca", "impostazion", "interfacc", "navigaz", "cliccar", "intuitiv",
         "aplicati", "=site", "siteul", "=lent", "incarc", "buton", "=meniu", "actualizar", "cautar", "setari", "interfat",
         "navigar", "click"],
        // account-login-verification
        ["logow", "zalogow", "=haslo", "hasla", "hasel", "=pin", "weryfik", "tozsamos", "=konto", "konta", "koncie", "zablokow",
         "=kod", "kodu", "=sms", "dowod", "selfie", "odblok", "=login", "dwuetap", "uwierzyt",
         "accesso", "acced", "loggar", "password", "credenzial", "verific", "identita", "=account", "bloccat", "=spid", "codice",
         "=otp", "document", "sbloc", "autenticaz", "profilo",
         "autentific", "logar", "=loga", "parola", "verificar", "identitat", "=cont", "contul", "blocat", "=cod", "codul",
         "buletin", "deblocar"],
        // support-responsiveness
        ["czeka", "czekam", "kolejk", "odpowiedz", "odpisal", "odpisuj", "infolini", "dodzwon", "odzywa", "milcz", "=nikt",
         "godzin", "tygodni", "kontakt", "oddzwon",
         "attesa", "aspett", "=coda", "rispost", "rispond", "richiam", "callcenter", "contatt", "=nessuno", "=ore", "giorni",
         "settiman", "irraggiungibil",
         "astept", "asteapt", "=coada", "raspun", "=sun", "sunat", "contact", "=nimeni", "=zile", "saptaman", "telefon"],
        // support-resolution
        ["konsultant", "obslug", "niegrzecz", "=pomogl", "pomoc", "rozwiaz", "zglosz", "reklamacj", "kierowni", "zamkn",
         "szablon", "bezuzyteczn", "niekompetent", "chamsk", "obiecal", "=sprawa", "sprawe", "sprawy",
         "operator", "assistenz", "scortes", "maleducat", "risolt", "risolv", "ticket", "pratica", "reclam", "responsabil",
         "inutil", "incompetent", "promess", "=aiuto", "aiutat", "segnalaz",
         "agent", "suport", "asistent", "nepoliticos", "rezolv", "tichet", "reclamati", "=sef", "inchis", "promis", "=ajutor",
         "ajutat", "dosar"],
        // refunds-returns
        ["zwrot", "zwroc", "=oddac", "oddali", "pieniadz", "odesl", "wymian", "etykiet", "zwracam",
         "rimbors", "=reso", "=resi", "restitu", "=soldi", "rispedi", "sostituz", "etichett", "recesso", "storn", "accredit",
         "=retur", "returul", "returnar", "=banii", "=bani", "rambursar", "inapoi", "schimb", "inlocuir", "eticheta"],
        // communication-information
        ["informacj", "poinformow", "powiadom", "komunikat", "niejasn", "wyjasn", "regulamin", "opis", "=status", "wiadomos",
         "uprzedz", "sprzeczn", "wprowadz",
         "inform", "comunicaz", "avvis", "notific", "=chiaro", "spiegaz", "spiegat", "contratt", "condizion", "descrizion",
         "=stato", "messagg", "contraddit", "fuorvian", "preavviso",
         "anunt", "=clar", "explic", "contract", "conditi", "descrier", "statusul", "mesaj", "contradict", "inselat", "avertiz"],
        // none
        ["dzieku", "=super", "swietn", "polecam", "=dobr", "zadowol", "idealn", "rewelac", "fajn", "=milo", "=mila", "=mily",
         "sprawn", "pytani", "brawo", "wspanial",
         "grazie", "ottim", "perfett", "consigli", "=bravi", "=bravo", "eccellent", "soddisfatt", "=top", "fantastic", "gentil",
         "velocissim", "domanda", "=posso", "complimenti", "=bene",
         "multumesc", "multumim", "excelent", "recomand", "perfect", "=bine", "minunat", "multumit", "amabil", "intrebar",
         "=pot", "felicitari"],
    ]);

    /// <summary>One slot per pain-point category.</summary>
    public static int CategoryCount => PainPointTaxonomy.All.Count;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wholeWords;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _prefixes;
    private readonly int _maxPrefixLength;

    private PainPointLexicon(string[][] cuesByCategory)
    {
        var wholeWords = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int category = 0; category < cuesByCategory.Length; category++)
        {
            foreach (var cue in cuesByCategory[category])
            {
                if (cue.Contains(' ', StringComparison.Ordinal))
                {
                    continue; // single tokens only
                }
                var target = cue.StartsWith('=') ? wholeWords : prefixes;
                string key = cue.TrimStart('=');
                target[key] = target.GetValueOrDefault(key) | (1 << category);
                if (target == prefixes)
                {
                    _maxPrefixLength = Math.Max(_maxPrefixLength, key.Length);
                }
            }
        }
        _wholeWords = wholeWords.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Bit mask of the categories whose cues match this (lower-case) word.</summary>
    public int Match(ReadOnlySpan<char> word)
    {
        int mask = _wholeWords.TryGetValue(word, out int whole) ? whole : 0;
        for (int length = 3; length <= Math.Min(word.Length, _maxPrefixLength); length++)
        {
            if (_prefixes.TryGetValue(word[..length], out int prefix))
            {
                mask |= prefix;
            }
        }
        return mask;
    }
}
