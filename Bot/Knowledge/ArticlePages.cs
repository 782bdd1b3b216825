using System.Net;
using System.Text;
using CoachBot.Cards;
using CoachBot.Coaching.Knowledge;

namespace CoachBot.Bot.Knowledge;

/// <summary>
/// <c>GET /knowledge/{id}</c>: one article of the knowledge store as a web page, where the dev chat's and (with
/// <c>Teams:PublicBaseUrl</c>) Teams cards' "Read: …" pointers lead. Everything from the store is HTML-escaped and the
/// page allows no script, so an ingested document cannot run anything in a reader's browser.
/// </summary>
internal static class ArticlePages
{
    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapArticlePages(this IEndpointRouteBuilder endpoints)
    {
        // A catch-all: ingested file names may hold '/', which a link escapes as %2F and the path keeps escaped.
        endpoints.MapGet(ReportView.ArticlePath + "{**id}", async (string? id, IKnowledgeStore store, DevChat.DevChatAccess access, HttpContext context, CancellationToken cancellationToken) =>
        {
            var source = (id ?? string.Empty).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            context.Response.Headers.ContentSecurityPolicy = Policy;
            context.Response.Headers.XContentTypeOptions = "nosniff";

            // The built-in articles are public coaching material. A document an organisation ingested may not be: it is
            // shown only where the dev chat itself may be used (this machine, or with DevChat:Token).
            if (!source.StartsWith("builtin:", StringComparison.Ordinal) && access.Check(context) is { IsAllowed: false } refused)
            {
                return Results.Content(Page("Not published here", "<p>This document was added to this CoachBot's knowledge base by your organisation and is only shown on the machine CoachBot runs on, or with the dev chat's access token. Ask your CoachBot admin, or read it with <code>coachbot knowledge show</code>.</p>"),
                    "text/html; charset=utf-8", Encoding.UTF8, refused.Status is StatusCodes.Status429TooManyRequests ? StatusCodes.Status429TooManyRequests : StatusCodes.Status403Forbidden);
            }

            var article = await store.GetDocumentAsync(source, cancellationToken);
            return article is null
                ? Results.Content(Page("No such article", $"<p>There is no article <code>{Encode(source)}</code> in this CoachBot's knowledge base. It may have been removed since the card was sent; <code>coachbot knowledge search</code> lists what there is.</p>"),
                    "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound)
                : Results.Content(Page(article.Title, Html(article)), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status200OK);
        });
        return endpoints;
    }

    /// <summary>The article's text as HTML: blank lines separate paragraphs, <c>#</c> lines are headings, <c>- </c> lines list items.</summary>
    internal static string Html(KnowledgeArticle article)
    {
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(article.Title)).Append("</h1>\n");
        foreach (var paragraph in article.Text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (paragraph.StartsWith('#'))
            {
                html.Append("<h2>").Append(Encode(paragraph.TrimStart('#').Trim())).Append("</h2>\n");
                continue;
            }

            var lines = paragraph.Split('\n', StringSplitOptions.TrimEntries);
            if (lines.All(l => l.StartsWith("- ", StringComparison.Ordinal) || l.StartsWith("* ", StringComparison.Ordinal)))
            {
                html.Append("<ul>");
                foreach (var line in lines)
                {
                    html.Append("<li>").Append(Encode(line[2..])).Append("</li>");
                }

                html.Append("</ul>\n");
                continue;
            }

            html.Append("<p>").Append(string.Join("<br>", lines.Select(Encode))).Append("</p>\n");
        }

        html.Append("<p class=\"source\">Source: <code>").Append(Encode(article.Source)).Append("</code></p>\n");
        return html.ToString();
    }

    private static string Page(string title, string body) =>
        $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Encode(title)}} · CoachBot</title>
        <style>body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1f2328}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem}.source{color:#656d76;font-size:.85rem;margin-top:2rem}</style>
        </head>
        <body>
        {{body}}</body>
        </html>
        """;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
