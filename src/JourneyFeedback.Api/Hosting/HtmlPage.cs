using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace JourneyFeedback.Api.Hosting;

/// <summary>
/// A server-rendered page: a Razor component (a <c>.razor</c> file in its feature folder) rendered to HTML when the
/// result executes. Razor encodes every value it writes, in text and in attributes, so untrusted text is safe by
/// construction; never pass it through <see cref="MarkupString"/>.
/// </summary>
/// <remarks>
/// <see cref="HtmlRenderer"/> rather than <c>RazorComponentResult</c>: these pages are static HTML, and
/// RazorComponentResult needs <c>AddRazorComponents()</c> and runs Blazor's endpoint renderer (navigation, form
/// mapping, antiforgery support), none of which they use (the survey form posts to an ordinary endpoint). Rendering to
/// a string keeps the response the pages always sent: a content result with Content-Length.
/// A renderer per page keeps nothing alive between requests (a renderer keeps its root components until disposed).
/// Headers: the pages send only their content type (with charset); set any others on the response in the handler.
/// </remarks>
internal sealed class HtmlPage<TComponent>(Dictionary<string, object?> parameters, int statusCode = StatusCodes.Status200OK)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    where TComponent : IComponent
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    public int? StatusCode => statusCode;

    public string ContentType => HtmlContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var html = await RenderAsync(httpContext.RequestServices.GetRequiredService<HtmlPageServices>().Services, parameters);
        // Written as the pages always were (a content result: Content-Length, UTF-8).
        await TypedResults.Content(html, HtmlContentType, statusCode: statusCode).ExecuteAsync(httpContext);
    }

    public static async Task<string> RenderAsync(IServiceProvider services, Dictionary<string, object?> parameters)
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}

/// <summary>
/// What a page's renderer may resolve: logging only. With the application's service provider the renderer cost twice as
/// much per page (measured: 43 vs 21 µs per survey form; it resolves optional framework services that static pages do
/// not use). The pages inject nothing: everything comes in as parameters.
/// </summary>
internal sealed class HtmlPageServices(ILoggerFactory loggerFactory)
{
    public IServiceProvider Services { get; } = new ServiceCollection().AddSingleton(loggerFactory).BuildServiceProvider();
}
