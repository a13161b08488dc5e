using System.Globalization;
using System.Net;
using System.Text;

namespace JourneyFeedback.Api.Surveys;

/// <summary>
/// The respondent's page: a small server-rendered form (no scripts, no external assets) that works on a phone,
/// with a screen reader and with the keyboard.
/// </summary>
internal static class SurveyPage
{
    private const string Style = """
        :root{color-scheme:light dark;--accent:#2457d6}
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;line-height:1.5;background:Canvas;color:CanvasText}
        main{max-width:36rem;margin:0 auto}
        h1{font-size:1.35rem}
        fieldset{border:0;padding:0;margin:0 0 1.25rem}
        legend{font-weight:600;font-size:1.1rem;margin-bottom:.75rem}
        .scale{display:flex;flex-wrap:wrap;gap:.4rem}
        .scale label{flex:1 0 2.6rem;text-align:center}
        .scale input{position:absolute;opacity:0;width:1px;height:1px}
        .scale span{display:block;padding:.7rem 0;border:2px solid #8a8a8a;border-radius:.5rem;cursor:pointer;font-weight:600}
        .scale input:checked+span{background:var(--accent);border-color:var(--accent);color:#fff}
        .scale input:focus-visible+span{outline:3px solid var(--accent);outline-offset:2px}
        .ends{display:flex;justify-content:space-between;font-size:.9rem;margin-top:.4rem}
        .options label{display:block;padding:.6rem .75rem;border:2px solid #8a8a8a;border-radius:.5rem;margin-bottom:.4rem;cursor:pointer}
        .options input{margin-right:.5rem;transform:scale(1.3)}
        label.block{display:block;font-weight:600;margin:.75rem 0 .35rem}
        textarea,input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:2px solid #8a8a8a;border-radius:.5rem}
        button{font:inherit;font-weight:600;padding:.8rem 1.6rem;border:0;border-radius:.5rem;background:var(--accent);color:#fff;cursor:pointer;margin-top:1rem;min-height:44px}
        .error{border-left:4px solid #c62828;padding:.5rem .75rem;background:rgba(198,40,40,.08)}
        """;

    public static string Form(Survey survey, string token, IReadOnlyDictionary<string, string[]>? errors = null, IReadOnlyDictionary<string, string?>? previous = null)
    {
        var html = new StringBuilder();
        Open(html, survey.Name);
        if (errors is { Count: > 0 })
        {
            html.Append("<div class=\"error\" role=\"alert\" id=\"errors\"><p>Please check your answer:</p><ul>");
            foreach (var message in errors.SelectMany(e => e.Value)) html.Append("<li>").Append(E(message)).Append("</li>");
            html.Append("</ul></div>");
        }
        html.Append("<form method=\"post\" action=\"/s/").Append(E(token)).Append("\" novalidate>");
        if (survey.Type == SurveyTypes.Attribution) AttributionFields(html, survey, previous);
        else ScaleFields(html, survey, previous);

        var commentLabel = survey.Type == SurveyTypes.Nps ? "What is the main reason for your score? (optional)" : "Anything you would like to add? (optional)";
        html.Append("<label class=\"block\" for=\"comment\">").Append(commentLabel).Append("</label>")
            .Append("<textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"").Append(SurveyRules.MaxCommentLength).Append("\">")
            .Append(E(Value(previous, "comment"))).Append("</textarea>")
            .Append("<button type=\"submit\">Send answer</button></form>");
        return Close(html);
    }

    public static string Message(string title, string text)
    {
        var html = new StringBuilder();
        Open(html, title);
        html.Append("<p>").Append(E(text)).Append("</p>");
        return Close(html);
    }

    private static void ScaleFields(StringBuilder html, Survey survey, IReadOnlyDictionary<string, string?>? previous)
    {
        var (min, max) = SurveyRules.Scale(survey.Type)!.Value;
        var chosen = Value(previous, "score");
        html.Append("<fieldset aria-describedby=\"scale-ends\"><legend>").Append(E(survey.Question)).Append("</legend><div class=\"scale\">");
        for (var score = min; score <= max; score++)
        {
            var value = score.ToString(CultureInfo.InvariantCulture);
            var label = SurveyRules.ScaleLabel(survey.Type, score);
            html.Append("<label><input type=\"radio\" name=\"score\" value=\"").Append(value).Append('"')
                .Append(chosen == value ? " checked" : "").Append(score == min ? " required" : "");
            if (label.Length > 0) html.Append(" aria-label=\"").Append(value).Append(" – ").Append(E(label)).Append('"');
            html.Append("><span>").Append(value).Append("</span></label>");
        }
        html.Append("</div><div class=\"ends\" id=\"scale-ends\"><span>").Append(min).Append(" = ").Append(E(SurveyRules.ScaleLabel(survey.Type, min)))
            .Append("</span><span>").Append(max).Append(" = ").Append(E(SurveyRules.ScaleLabel(survey.Type, max))).Append("</span></div></fieldset>");
    }

    private static void AttributionFields(StringBuilder html, Survey survey, IReadOnlyDictionary<string, string?>? previous)
    {
        var chosen = Value(previous, "option");
        html.Append("<fieldset><legend>").Append(E(survey.Question)).Append("</legend><div class=\"options\">");
        foreach (var option in survey.Options)
            html.Append("<label><input type=\"radio\" name=\"option\" value=\"").Append(E(option.Id)).Append('"')
                .Append(chosen == option.Id ? " checked" : "").Append('>').Append(E(option.Label)).Append("</label>");
        if (survey.AllowOther)
        {
            html.Append("<label><input type=\"radio\" name=\"option\" value=\"other\"").Append(chosen == "other" ? " checked" : "").Append(">Other</label>")
                .Append("<label class=\"block\" for=\"other\">If other, where did you hear about us?</label>")
                .Append("<input type=\"text\" id=\"other\" name=\"other\" maxlength=\"500\" value=\"").Append(E(Value(previous, "other"))).Append("\">");
        }
        html.Append("</div></fieldset>");
    }

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\">")
            // An empty icon: otherwise every browser asks for /favicon.ico, gets a 404 and logs a console error.
            .Append("<link rel=\"icon\" href=\"data:,\"><title>").Append(E(title)).Append("</title><style>").Append(Style)
            .Append("</style></head><body><main><h1>").Append(E(title)).Append("</h1>");

    private static string Close(StringBuilder html) => html.Append("</main></body></html>").ToString();

    private static string Value(IReadOnlyDictionary<string, string?>? fields, string name) =>
        fields is not null && fields.TryGetValue(name, out var value) ? value ?? "" : "";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
