using System.Globalization;
using System.Net;
using System.Text;
using CoachBot.Adapters.Teams;
using CoachBot.Bot.DevChat;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// <c>GET /about</c>, <c>GET /privacy</c> and <c>GET /terms</c>: the pages the Teams app package links to by default
/// (<c>developer.websiteUrl</c>, <c>privacyUrl</c>, <c>termsOfUseUrl</c>; <c>manifest teams --website-url</c>,
/// <c>--privacy-url</c> and <c>--terms-url</c> point at an organisation's own instead). They are served in every
/// environment. The privacy statement says what this host keeps and for how long, with the retention periods it is
/// configured with, so an administrator can check it before uploading the app.
/// </summary>
internal static class PolicyPages
{
    public const string AboutPath = "/about";

    /// <summary>
    /// Every table of the database and the privacy statement's account of it. A table added by a migration or an adapter
    /// without an entry here fails a test, so the statement is reviewed whenever what is kept changes.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> Tables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["attempts"] = "practice answers",
        ["asked_questions"] = "practice answers",
        ["practice_sessions"] = "settings",
        ["interview_plans"] = "interview plans",
        ["mock_interviews"] = "mock interviews",
        ["mock_answers"] = "mock interviews",
        ["group_rounds"] = "group rounds",
        ["group_round_questions"] = "group rounds",
        ["group_answers"] = "group rounds",
        ["group_highlight_consents"] = "group rounds",
        ["group_channel_settings"] = "channel settings",
        ["group_schedules"] = "channel settings",
        ["teams_pending_feedback"] = "feedback waiting in Teams",
        ["turns"] = "the queue",
        ["deliveries"] = "the queue",
        ["invoke_claims"] = "the queue",
        ["recordings"] = "recordings and files",
        ["leases"] = "no personal data: which instance runs the group scheduler",
        ["knowledge_documents"] = "no personal data: coaching articles",
        ["knowledge_chunks"] = "no personal data: coaching articles",
        ["knowledge_fts"] = "no personal data: coaching articles",
        ["knowledge_vectors"] = "no personal data: coaching articles",
        ["knowledge_generation"] = "no personal data: coaching articles",
        ["devchat_entries"] = "the dev chat",
        ["devchat_epoch"] = "no personal data: which database the dev chat's message numbers belong to",
        ["schema_migrations"] = "no personal data: which versions of the database layout were applied",
    };

    public static IEndpointRouteBuilder MapPolicyPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AboutPath, () => Page("About CoachBot",
            "CoachBot is an interview-practice coach in Slack and Microsoft Teams, run by your organisation on its own server.",
            [
                "It asks you a practice interview question for your role. You answer by typing, or with a voice note or recording, and it replies with scores from 0 to 100, quotes from your own answer as evidence, what to improve first, and the next question.",
                "In a direct chat with the bot: 'start [role]', 'next', 'hint', 'progress', 'role <name>', 'difficulty <1-3>', 'mock start' for a mock interview with a report card, 'plan' to make an interview plan from your résumé and a job description, 'help' for every command, and 'forget me' to delete your data.",
                "In a channel: a group practice round ('/coach group' in Slack, '@CoachBot group start' in Teams) asks everyone the same question; each member gets feedback privately.",
                "Questions about CoachBot go to the people who run it in your organisation.",
            ],
            [("Privacy statement", "/privacy"), ("Terms of use", "/terms")])).ExcludeFromDescription();
        endpoints.MapGet("/privacy", (IOptions<TurnQueueOptions> queue, IOptions<TeamsOptions> teams, IOptions<DevChatOptions> devChat) => Privacy(queue.Value, teams.Value, devChat.Value)).ExcludeFromDescription();
        endpoints.MapGet("/terms", () => Page("CoachBot terms of use",
            "CoachBot is a practice tool provided by your organisation.",
            [
                "Its scores and advice are automated feedback to help you practise; they are not an assessment of you and are not used for hiring decisions by CoachBot.",
                "Do not send confidential or personal information about other people in your answers.",
                "Your organisation's own policies for Slack and Microsoft Teams apply to your use of the bot.",
            ],
            [("About CoachBot", AboutPath), ("Privacy statement", "/privacy")])).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Privacy(TurnQueueOptions queue, TeamsOptions teams, DevChatOptions devChat)
    {
        var retention = Days(queue.RetentionDays);
        var pending = Days(teams.PendingFeedbackDays);
        return Page("CoachBot privacy statement",
            "CoachBot is run by your organisation on its own server. This is everything that server keeps about you, for how long, and how to delete it. " +
            "To delete your data, say “forget me” to the bot (in Slack also “/coach forget-me”) and confirm: it deletes what you kept in the workspace or Teams organisation where you say it.",
            [
                // practice answers
                "Who you are: your user id on Slack or Microsoft Teams (with the workspace or tenant id) is stored with each item below, so that your history stays yours.",
                "Practice answers: each answer you send (the text, or the transcript of a recording), its scores and the feedback, and which questions you have been asked. Kept until you say “forget me”, so that “progress” can show how you are doing.",
                // settings
                "Settings: your role, difficulty and current question, a short answer waiting for you to confirm it, and the facts of a résumé or job description received while the other one is still missing. Kept until you say “forget me”.",
                // interview plans
                "Interview plans: the questions of each plan and the facts taken from your résumé and the job description (skills, experience phrases, duties). The résumé and job files themselves are deleted as soon as they are read, and their text is not stored. Kept until you say “forget me”.",
                // mock interviews
                "Mock interviews: each question, your answer with its scores and feedback, and the final report card. Kept until you say “forget me”.",
                // group rounds, channel settings
                "Group practice rounds: your answers in a round with their scores and feedback, and whether you said “share”. Kept until you say “forget me”. The round itself (where it ran, its questions, deadline and who started it) and its summary stay: the summary holds anonymous example quotes from answers and the quotes of members who said “share”; after “forget me” your id is removed from the stored summaries and your shared quotes stay without your name. Summaries already posted in the channel are not changed.",
                "Channel settings: whether round feedback is posted publicly, and a channel's daily practice schedule with the id of the person who set it. Kept until they are changed or the schedule is switched off.",
                // feedback waiting in Teams
                $"Microsoft Teams only: feedback on a group-round answer from someone who has not installed CoachBot for themselves is kept until they do and it is sent to them, for at most {pending} (Teams:PendingFeedbackDays), or until they say “forget me”.",
                // the queue
                $"Messages on their way: everything you send is stored in a queue until it has been coached. The text of a finished message and the reply are cleared {retention} later (Queue:RetentionDays), or at once when you say “forget me”; what stays is a key that stops the same message from being answered twice, with your user id. Where the bot's replies were posted (message ids) is kept for the same {retention}. In Microsoft Teams, the card a button press produced is kept for ten minutes, so that a press delivered twice gets the same card; after that it is deleted the next time anyone presses a button or adds the app.",
                // the dev chat
                $"Dev chat (a web page for trying CoachBot, where the people who run it have switched it on): when CoachBot runs on several servers sharing one database, the conversation on the page (your messages and the replies) is kept for {Days(devChat.KeepDays)} (DevChat:KeepDays) so that whichever server answers can show it; “forget me” on the page deletes it at once. On a single server it is kept only in the server's memory while it runs.",
                "Recordings and files: a voice note, audio file or document you send is downloaded only to be read, and deleted when that message has been handled. A recording made on the bot's recorder page is deleted once it has been coached, or within 30 hours if coaching it failed for good. Only the transcript is kept, as a practice answer.",
                "Language models and speech services: if your organisation configured a language-model provider (Ollama, OpenAI, Azure OpenAI or Anthropic) or a remote speech-to-text server, your answer is sent to it to write the advice or the transcript. Otherwise nothing leaves this server.",
                "Logs: the server's logs may contain your user id (for example when an article is sent to you); the text of your messages is written to them only at the most detailed (Trace) level. How long logs are kept is decided by the people who run CoachBot.",
                // no personal data
                "The coaching articles the bot searches hold no personal data.",
                "Questions about this data go to the people who run CoachBot in your organisation.",
            ],
            [("About CoachBot", AboutPath), ("Terms of use", "/terms")]);
    }

    private static string Days(int days) => days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");

    private static IResult Page(string title, string lead, IReadOnlyList<string> points, IReadOnlyList<(string Text, string Path)> links)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title))
            .Append("</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body style=\"font-family:sans-serif;max-width:40rem;margin:2rem auto;line-height:1.5\"><h1>")
            .Append(WebUtility.HtmlEncode(title)).Append("</h1><p>").Append(WebUtility.HtmlEncode(lead)).Append("</p><ul>");
        foreach (var point in points)
        {
            html.Append("<li>").Append(WebUtility.HtmlEncode(point)).Append("</li>");
        }

        html.Append("</ul><p>");
        html.AppendJoin(" · ", links.Select(l => $"<a href=\"{WebUtility.HtmlEncode(l.Path)}\">{WebUtility.HtmlEncode(l.Text)}</a>"));
        return Results.Content(html.Append("</p></body></html>").ToString(), "text/html; charset=utf-8", Encoding.UTF8);
    }
}
