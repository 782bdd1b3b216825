using System.Net;
using System.Text;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// <c>GET /privacy</c> and <c>GET /terms</c>: the pages the Teams app package links to by default
/// (<c>manifest teams</c>; <c>--privacy-url</c> and <c>--terms-url</c> point at an organisation's own instead). They say
/// what this host keeps and for how long, so an administrator can check it before uploading the app.
/// </summary>
internal static class PolicyPages
{
    public static IEndpointRouteBuilder MapPolicyPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/privacy", () => Page("CoachBot privacy statement",
            "CoachBot is run by your organisation on its own server. This is what that server keeps.",
            [
                "Your practice answers (the text, or the transcript of a recording), their scores and the advice given, so that you can see your progress. Say 'forget me' to the bot to delete all of it.",
                "The text of an answer waiting in the queue is cleared a few days after its reply was sent (Queue:RetentionDays, 7 by default).",
                "Recordings are used to transcribe your answer and are deleted when its feedback has been sent.",
                "If your organisation configured a language-model provider (Ollama, OpenAI, Azure OpenAI or Anthropic) or a remote speech-to-text server, your answer is sent to it to write the advice or the transcript. Otherwise nothing leaves this server.",
                "Questions about this data go to the people who run CoachBot in your organisation.",
            ])).ExcludeFromDescription();
        endpoints.MapGet("/terms", () => Page("CoachBot terms of use",
            "CoachBot is a practice tool provided by your organisation.",
            [
                "Its scores and advice are automated feedback to help you practise; they are not an assessment of you and are not used for hiring decisions by CoachBot.",
                "Do not send confidential or personal information about other people in your answers.",
                "Your organisation's own policies for Slack and Microsoft Teams apply to your use of the bot.",
            ])).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Page(string title, string lead, IReadOnlyList<string> points)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title))
            .Append("</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body style=\"font-family:sans-serif;max-width:40rem;margin:2rem auto;line-height:1.5\"><h1>")
            .Append(WebUtility.HtmlEncode(title)).Append("</h1><p>").Append(WebUtility.HtmlEncode(lead)).Append("</p><ul>");
        foreach (var point in points)
        {
            html.Append("<li>").Append(WebUtility.HtmlEncode(point)).Append("</li>");
        }

        return Results.Content(html.Append("</ul></body></html>").ToString(), "text/html; charset=utf-8", Encoding.UTF8);
    }
}
