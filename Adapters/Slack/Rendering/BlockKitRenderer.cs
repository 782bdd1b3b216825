using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Cards;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Adapters.Slack.Rendering;

/// <summary>A Slack message: the notification/fallback text and its Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks)
{
    /// <summary>The message as chat.postMessage takes it: <c>{ "text": …, "blocks": […] }</c>.</summary>
    public string ToJson(bool indented = true) =>
        new JsonObject { ["text"] = Text, ["blocks"] = Blocks.DeepClone() }.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = indented,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
}

/// <summary>
/// Renders replies as Block Kit within Slack's limits: at most 50 blocks, section text at most 3,000 characters,
/// ten fields of at most 2,000, header and button text as plain text of at most 150 and 75, and the whole message
/// kept under <see cref="MaxMessageChars"/> (Slack silently refuses messages near 12,000 characters) by dropping the
/// least important blocks first. Text from users and models is escaped for mrkdwn.
/// </summary>
public static class BlockKitRenderer
{
    public const string ActionNext = "coach_next";
    public const string ActionRetry = "coach_retry";
    public const string ActionHint = "coach_hint";
    public const string ActionForgetConfirm = "coach_forget_confirm";

    /// <summary>Starts a mock interview (from a mock report card).</summary>
    public const string ActionMockStart = "coach_mock_start";

    /// <summary>Starts a mock interview of the newest plan (a plan card's Start).</summary>
    public const string ActionMockStartPlan = "coach_mock_start_plan";

    /// <summary>Makes the plan again from its facts.</summary>
    public const string ActionPlanRegenerate = "coach_plan_regenerate";

    /// <summary>Drops one question from the plan; its value is the plan question's id.</summary>
    public const string ActionPlanSkip = "coach_plan_skip";

    /// <summary>An article pointer's "Read" button; its value is the article's id in the knowledge store.</summary>
    public const string ActionArticle = "coach_article";

    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3_000;
    public const int MaxFieldText = 2_000;
    public const int MaxFields = 10;
    public const int MaxHeaderText = 150;
    public const int MaxButtonText = 75;
    public const int MaxContextElements = 10;
    public const int MaxFallbackText = 1_000;

    /// <summary>The budget for the serialized blocks; with the fallback text (at most <see cref="MaxFallbackText"/>) the message stays well under Slack's undocumented ~12,000-character cap.</summary>
    public const int MaxMessageChars = 10_000;

    private const int MaxImprovements = 6;

    /// <summary>Renders any reply.</summary>
    public static SlackMessage Render(TurnReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var blocks = new Blocks();
        switch (reply.Kind)
        {
            case TurnReplyKind.Report when reply.Report is { } report:
                return Render(report);
            case TurnReplyKind.Question when reply.Question is { } question:
                blocks.Section(Lead(reply.Text, question.Text), 0);
                blocks.Section("*" + Mrkdwn.Fit(question.Text, 1_000) + "*", 0);
                blocks.Context(["Answer in this thread, by typing or with a voice clip."], 3);
                blocks.Actions(reply.InMockInterview
                    ? [Button("Skip question", ActionNext, null)]
                    : [Button("Hint", ActionHint, question.Id), Button("Next question", ActionNext, null)], 0);
                break;
            case TurnReplyKind.MockReport when reply.Mock is { } mock:
                RenderMockReport(blocks, mock);
                break;
            case TurnReplyKind.Plan when reply.Plan is { } plan:
                RenderPlan(blocks, reply.Text.Split('\n')[0], plan);
                break;
            case TurnReplyKind.Hint when reply.Question is { } hinted:
                blocks.Section("*Hint* for: " + Mrkdwn.Fit(hinted.Text, 1_000), 0);
                blocks.Section(Bullets(reply.Points ?? [], MaxSectionText), 0);
                blocks.Actions([Button("Next question", ActionNext, null)], 0);
                break;
            case TurnReplyKind.Progress when reply.Progress is { } progress:
                RenderProgress(blocks, progress);
                break;
            case TurnReplyKind.Confirm:
                blocks.Section(Mrkdwn.Fit(reply.Text, MaxSectionText), 0);
                blocks.Actions([Button("Delete my data", ActionForgetConfirm, null, "danger")], 0);
                break;
            case TurnReplyKind.GroupRound when reply.Group is { } round:
                RenderRoundCard(blocks, round);
                break;
            case TurnReplyKind.GroupSummary when reply.Group?.Summary is { } summary:
                RenderSummary(blocks, summary);
                break;
            case TurnReplyKind.GroupReminder when reply.Group is not null:
                return RenderReminder(reply, []);
            case TurnReplyKind.Error:
                // Errors and notices are the bot's own words; the mentions in them (the facilitator) stay mentions.
                blocks.Section(":warning: " + Mrkdwn.KeepMentions(Mrkdwn.Fit(reply.Text, MaxSectionText - 10)), 0);
                break;
            default:
                blocks.Section(Mrkdwn.KeepMentions(Mrkdwn.Fit(reply.Text, MaxSectionText)), 0);
                break;
        }

        return new SlackMessage(Fallback(reply.Text), blocks.Build());
    }

    /// <summary>The thread's acknowledgement of an answer whose feedback went to the member privately.</summary>
    public static SlackMessage RenderAcknowledgement(int answers)
    {
        var text = GroupMessages.Acknowledgement(answers);
        var blocks = new Blocks();
        blocks.Context([Mrkdwn.Escape(text) + " · feedback goes to each member privately"], 0);
        return new SlackMessage(Fallback(text), blocks.Build());
    }

    /// <summary>A round's reminder, mentioning the members who have not answered yet (<paramref name="pending"/>).</summary>
    public static SlackMessage RenderReminder(TurnReply reply, IReadOnlyList<string> pending)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(pending);
        var blocks = new Blocks();
        var question = reply.Group?.Question ?? reply.Question;
        if (pending.Count == 0)
        {
            blocks.Section(":white_check_mark: Everyone here has answered this question. The facilitator can say *wrap* for the summary.", 0);
            return new SlackMessage("Everyone has answered.", blocks.Build());
        }

        blocks.Section(":bell: " + Mentions(pending, MaxSectionText - 200) + " — the round's question is still open. Reply in this thread by text or with a voice clip.", 0);
        if (question is not null)
        {
            blocks.Section("*" + Mrkdwn.Fit(question.Text, 1_000) + "*", 0);
        }

        if (reply.Group is { } group)
        {
            blocks.Context(["Open until " + When(group.Deadline) + "."], 1);
        }

        return new SlackMessage(Fallback(reply.Text), blocks.Build());
    }

    private static void RenderRoundCard(Blocks blocks, GroupReply round)
    {
        var isNew = round.ThreadId is null;
        blocks.Header(round.QuestionCount > 1 ? $"Group practice · question {round.QuestionNumber} of {round.QuestionCount}" : "Group practice", 0);
        blocks.Section(
            isNew
                ? $"{Mention(round.FacilitatorId)} started a practice round ({Mrkdwn.Fit(Title(round.Role), 60)} questions). Everyone in the channel can answer."
                : $"Next question, {round.QuestionNumber} of {round.QuestionCount}. Answer it in this thread.",
            0);
        if (round.Question is { } question)
        {
            blocks.Section("*" + Mrkdwn.Fit(question.Text, 1_000) + "*", 0);
        }

        blocks.Context(
        [
            $"*How to answer:* reply in this thread by typing or with a voice clip, before {When(round.Deadline)}.",
            "Feedback comes to you privately. Say *share* in the thread if the summary may quote your best line.",
            $"Facilitator: {Mention(round.FacilitatorId)} (*next* · *remind* · *wrap*)",
        ], 0);
    }

    private static void RenderSummary(Blocks blocks, GroupSummary summary)
    {
        blocks.Header("Group practice · round summary", 0);
        if (summary.Questions.Count > 0)
        {
            blocks.Section(summary.Questions.Count == 1
                ? "*Question:* " + Mrkdwn.Fit(summary.Questions[0].Text, 1_000)
                : "*Questions:*\n" + Bullets(summary.Questions.Select(q => q.Text), 1_500), 1);
        }

        blocks.Fields(
        [
            "*Participants*\n" + (summary.Participants.Count == 0 ? "nobody answered" : Mentions(summary.Participants, 1_500)),
            "*Answers*\n" + summary.Answers.ToString(CultureInfo.InvariantCulture),
            "*Average overall*\n" + (summary.AverageOverall is { } overall ? F(overall, "0.0") + "/100" : "-"),
        ], 0);
        foreach (var chunk in summary.Averages.Chunk(MaxFields))
        {
            blocks.Fields([.. chunk.Select(a => $"*{Title(a.Dimension)}*\n{F(a.Score, "0.0")}")], 0);
        }

        if (summary.CommonStrengths.Count > 0)
        {
            blocks.Section("*Common strengths*\n" + Themes(summary.CommonStrengths), 2);
        }

        if (summary.CommonImprovements.Count > 0)
        {
            blocks.Section("*What to work on together*\n" + Themes(summary.CommonImprovements), 2);
        }

        if (summary.Highlights.Count > 0)
        {
            var each = Math.Max(100, (MaxSectionText - 40) / summary.Highlights.Count) - 60;
            blocks.Section("*Highlights*\n" + string.Join('\n', summary.Highlights.Take(10).Select(h =>
                Mrkdwn.Quote(h.Quote, each) + "\n— " + (h.UserId is null ? "a member" : Mention(h.UserId)) + $" ({h.Overall}/100)")), 3);
        }

        blocks.Context(["Averages count each member once, over their answers (delivery only for voice answers). Examples are anonymous; highlights quote members who said *share*."], 4);
    }

    private static string Themes(IReadOnlyList<GroupTheme> themes) =>
        string.Join('\n', themes.Select(t =>
            $"• *{Mrkdwn.Fit(t.Title, 150)}* ({t.Members.ToString(CultureInfo.InvariantCulture)} {(t.Members == 1 ? "member" : "members")})"
            + (string.IsNullOrWhiteSpace(t.Example) ? string.Empty : "\n" + Mrkdwn.Quote(t.Example, 400))));

    /// <summary>A Slack mention for a user id; anything that is not a user id is shown as escaped text.</summary>
    private static string Mention(string? userId) =>
        userId is { Length: > 1 and <= 24 } && userId[0] is 'U' or 'W' && userId.All(char.IsAsciiLetterOrDigit) && userId.All(c => !char.IsAsciiLetterLower(c))
            ? $"<@{userId}>"
            : Mrkdwn.Fit(userId ?? "someone", 40);

    private static string Mentions(IReadOnlyList<string> users, int limit)
    {
        var text = new StringBuilder();
        for (var i = 0; i < users.Count; i++)
        {
            var mention = Mention(users[i]);
            if (text.Length + mention.Length + 20 > limit)
            {
                return text.Append(CultureInfo.InvariantCulture, $" and {users.Count - i} more").ToString();
            }

            text.Append(i == 0 ? string.Empty : " ").Append(mention);
        }

        return text.ToString();
    }

    private static string ScoreField(ScoreLine score) => $"*{Mrkdwn.Fit(score.Title, 60)}*\n{Mrkdwn.Fit(score.Value, 80)}";

    // Slack shows the date in each reader's own time zone; the fallback is UTC.
    private static string When(DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{{date_short_pretty}} at {{time}}|{at.UtcDateTime.ToString("ddd d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture)}>";

    /// <summary>Renders a coaching report, in the sections and wording of its <see cref="ReportView"/>.</summary>
    public static SlackMessage Render(CoachingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var view = ReportView.For(report);
        var blocks = new Blocks();
        if (view.Headline is { } headline)
        {
            // The first thing read: the answer missed the question, or its transcript cannot be trusted.
            blocks.Section(":warning: *" + Mrkdwn.Fit(headline, 300) + "*", 0);
        }

        blocks.Header(view.OverallLine, 0);
        blocks.Section("*Question:* " + Mrkdwn.Fit(report.Question.Text, 700), 0);
        if (view.QuestionTypeLine is { } judgedAs)
        {
            blocks.Context([Mrkdwn.Fit(judgedAs, 200)], 6);
        }

        foreach (var chunk in view.Scores.Chunk(MaxFields))
        {
            // Each score with its reason beneath, as the Teams card's "Why" column: a number alone does not say what to change.
            // A message over budget keeps the scores and sheds their reasons before anything else is dropped.
            blocks.Fields(
                [.. chunk.Select(s => ScoreField(s) + (string.IsNullOrWhiteSpace(s.Score.Reason) ? string.Empty : "\n" + Mrkdwn.Fit(s.Score.Reason, ReportView.ReasonChars)))],
                0,
                compact: [.. chunk.Select(ScoreField)]);
        }

        if (view.AnyUncertain)
        {
            blocks.Context([Mrkdwn.Escape(ReportView.UncertainNote)], 0);
        }

        if (view.Transcript is { } transcript)
        {
            var heard = new StringBuilder("*").Append(Mrkdwn.Escape(transcript.Heading)).Append("*\n");
            heard.Append('_').Append(Mrkdwn.Fit(transcript.EngineLine, 200)).Append('_');
            if (transcript.Quoted)
            {
                heard.Append('\n').Append(Mrkdwn.Quote(transcript.Text.Length == 0 ? "(nothing I could make out)" : transcript.Text, 1_400));
                blocks.Section(heard.ToString(), 6);
            }
            else
            {
                // Not quoted as the user's words: plain text under the "rough transcript" heading, with how to get a real one.
                if (transcript.Text.Length > 0)
                {
                    heard.Append('\n').Append(Mrkdwn.Fit(transcript.Text.ReplaceLineEndings(" "), 600));
                }

                heard.Append("\n:information_source: ").Append(Mrkdwn.Escape(transcript.Advice));
                blocks.Section(heard.ToString(), 0);
            }
        }

        if (report.Delivery is { } delivery)
        {
            var parts = new List<string>
            {
                $"*{ReportTitles.Delivery}*: {F(delivery.WordsPerMinute, "0")} words/min",
                $"{delivery.Pauses} pauses ({delivery.LongPauses} long)",
                $"{delivery.Fillers.Count} fillers ({F(delivery.Fillers.PerMinute, "0.#")}/min{(delivery.Fillers.Top.Count > 0 ? ": " + Mrkdwn.Fit(string.Join(", ", delivery.Fillers.Top.Take(3)), 80) : string.Empty)})",
            };
            if (delivery.Pitch.VariationSemitones is { } pitch)
            {
                parts.Add($"pitch variation {F(pitch, "0.#")} st");
            }

            parts.Add($"energy variation {F(delivery.Energy.VariationDb, "0.#")} dB");
            blocks.Context([string.Join(" · ", parts)], 1);
            if (delivery.Flags.Count > 0)
            {
                blocks.Context([Mrkdwn.Fit(string.Join(" · ", delivery.Flags), 600)], 5);
            }
        }

        if (report.Emotions is { } emotions)
        {
            blocks.Context([$"*Tone*: confidence {emotions.Confidence} · enthusiasm {emotions.Enthusiasm} · calm {emotions.Calm} · positivity {emotions.Positivity} · mostly {Mrkdwn.Fit(emotions.Dominant, 40)}"], 1);
        }

        blocks.Divider(1);
        if (report.Strengths.Count > 0)
        {
            blocks.Section($"*{ReportTitles.Strengths}*\n" + Bullets(report.Strengths.Take(4), 900), 2);
        }

        var index = 0;
        foreach (var improvement in view.Improvements.Take(MaxImprovements))
        {
            index++;
            var text = new StringBuilder($"*{index}. {Mrkdwn.Fit(improvement.Title, 150)}*");
            if (improvement.Evidence is { } evidence)
            {
                text.Append("\n_").Append(ReportView.EvidenceLabel).Append(":_\n").Append(Mrkdwn.Quote(evidence, 400));
            }

            text.Append('\n').Append(Mrkdwn.Fit(improvement.Suggestion, 700));
            JsonObject? read = null;
            if (improvement.Article is { } pointer)
            {
                if (pointer.Id is { } id)
                {
                    // The button posts the article privately to whoever presses it (see SlackInbound).
                    read = Button(pointer.ButtonText, ActionArticle, id);
                }
                else
                {
                    text.Append("\n_").Append(Mrkdwn.Fit(pointer.Label, 200)).Append('_');
                }
            }

            // The first three improvements matter most; the rest go first when the message is too long.
            blocks.Section(text.ToString(), index <= 3 ? 1 : 7, read);
        }

        if (report.MissedPoints.Count > 0)
        {
            blocks.Section($"*{ReportTitles.MissedPoints}*\n" + Bullets(report.MissedPoints.Take(6), 900), 3);
        }

        if (!string.IsNullOrWhiteSpace(report.ImprovedExample))
        {
            blocks.Section($"*{ReportTitles.ImprovedExample}*\n" + Mrkdwn.Quote(report.ImprovedExample, 1_200), 8);
        }

        if (report.Warnings.Count > 0)
        {
            blocks.Context([":information_source: " + Mrkdwn.Fit(string.Join(" ", report.Warnings), 700)], 4);
        }

        if (report.NextQuestion is { } next)
        {
            blocks.Section($"*{ReportTitles.NextQuestion}:* " + Mrkdwn.Fit(next.Text, 700), 0);
        }

        blocks.Actions(
        [
            Button("Next question", ActionNext, null, "primary"),
            Button("Try again", ActionRetry, report.Question.Id),
            .. report.NextQuestion is { } n ? new[] { Button("Hint", ActionHint, n.Id) } : [],
        ], 0);

        var footer = $"Advice by {Mrkdwn.Fit(view.AdviceBy, 120)}";
        if (report.References.Count > 0)
        {
            footer += " · Sources: " + Mrkdwn.Fit(string.Join("; ", report.References.Take(4).Select(r => r.Title)), 400);
        }

        blocks.Context([footer], 5);
        return new SlackMessage(Fallback(SummaryOf(view)), blocks.Build());
    }

    /// <summary>
    /// An article from the knowledge store, posted privately to the member who pressed its "Read" button: the title as a
    /// header and the text in sections (Markdown headings become bold lines), within Slack's limits.
    /// </summary>
    public static SlackMessage RenderArticle(string title, string text)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        var blocks = new Blocks();
        blocks.Header(title, 0);
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var section = new StringBuilder();
        var priority = 0;
        foreach (var paragraph in paragraphs)
        {
            var shown = paragraph.StartsWith('#') ? "*" + Mrkdwn.Fit(paragraph.TrimStart('#').Trim(), 300) + "*" : Mrkdwn.Fit(paragraph, MaxSectionText - 10);
            if (section.Length > 0 && section.Length + shown.Length + 2 > MaxSectionText - 10)
            {
                // Later sections go first when the article is longer than a message can hold.
                blocks.Section(section.ToString(), priority++);
                section.Clear();
            }

            section.Append(section.Length > 0 ? "\n\n" : string.Empty).Append(shown);
        }

        if (section.Length > 0)
        {
            blocks.Section(section.ToString(), priority);
        }

        return new SlackMessage(Fallback(title), blocks.Build());
    }

    private static void RenderProgress(Blocks blocks, ProgressSummary progress)
    {
        blocks.Header("Your progress", 0);
        if (progress.Attempts == 0)
        {
            blocks.Section("No coached answers yet. Say *start* to practise.", 0);
            RenderMockProgress(blocks, progress);
            return;
        }

        blocks.Fields(
        [
            $"*Answers coached*\n{progress.Attempts}",
            $"*Average*\n{progress.AverageOverall}/100",
            $"*Trend*\n{Mrkdwn.Fit(progress.Trend.Direction, 40)}{(progress.Trend.Change is { } c ? " (" + c.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture) + ")" : string.Empty)}",
            $"*Weakest*\n{Mrkdwn.Fit(Title(progress.WeakestDimension ?? "-"), 60)}",
        ], 0);
        RenderMockProgress(blocks, progress);
        blocks.Actions([Button("Next question", ActionNext, null, "primary")], 0);
    }

    private static void RenderMockProgress(Blocks blocks, ProgressSummary progress)
    {
        if (progress.Mocks.Count == 0)
        {
            return;
        }

        blocks.Section("*Mock interviews*\n" + string.Join('\n', progress.Mocks.Take(5).Select(m =>
            $"• {m.FinishedAt.UtcDateTime.ToString("d MMM", CultureInfo.InvariantCulture)}: {m.Readiness}/100 readiness, {m.Answered} answers ({Mrkdwn.Fit(m.Title, 80)})")), 1);
    }

    private static void RenderPlan(Blocks blocks, string lead, Coaching.Plans.InterviewPlan plan)
    {
        blocks.Header("Interview plan", 0);
        blocks.Section($"{Mrkdwn.Fit(lead, 300)}\n*{Mrkdwn.Fit(plan.JobTitle ?? plan.Role, 150)}* · {Mrkdwn.Fit(plan.Role, 60)}" +
                       (plan.Skills.Count > 0 ? "\nSkills the job asks for: " + Mrkdwn.Fit(string.Join(", ", plan.Skills.Select(s => s.InResume ? s.Name : s.Name + " (not on your résumé)")), 600) : string.Empty), 0);
        for (var i = 0; i < plan.Questions.Count; i++)
        {
            var question = plan.Questions[i];
            blocks.Section($"*{i + 1}.* {Mrkdwn.Fit(question.Text, 900)}\n_{(question.Source == Coaching.Plans.PlanQuestion.Written ? "written for you" : "from the bank")} · {Mrkdwn.Fit(question.Category, 30)}_",
                0, Button("Skip question", ActionPlanSkip, question.Id));
        }

        blocks.Context(["Kept: skills, experience phrases and duties. The files themselves are deleted; *forget me* deletes the plan."], 2);
        blocks.Actions([Button("Start", ActionMockStartPlan, null, "primary"), Button("Regenerate", ActionPlanRegenerate, null)], 0);
    }

    private static void RenderMockReport(Blocks blocks, Coaching.Mock.MockReportCard card)
    {
        blocks.Header("Mock interview report", 0);
        blocks.Section($"*Readiness {card.Readiness}/100* ({card.ReadinessLabel}) · {Mrkdwn.Fit(card.Title, 200)}\n" +
                       $"{card.Answered} answered · {card.Skipped} skipped · {card.FollowUps} follow-ups" +
                       (card.Skipped > 0 ? " (a skipped question counts as 0)" : string.Empty), 0);
        if (MockReportText.UncertainNote(card) is { } uncertain)
        {
            blocks.Section(":warning: " + Mrkdwn.Escape(uncertain), 0);
        }

        if (card.Answers.Count > 0)
        {
            blocks.Section("*By question*\n" + string.Join('\n', card.Answers.Take(24).Select(a =>
                $"• {MockReportText.AnswerLabel(a)}: {(a.Uncertain ? $"*{MockReportText.AnswerFigure(a)}*" : MockReportText.AnswerFigure(a))} · {Mrkdwn.Fit(a.Question, 80)}")), 0);
        }

        if (card.Competencies.Count > 0)
        {
            blocks.Section("*By competency*\n" + string.Join('\n', card.Competencies.Take(12).Select(c =>
                $"• {Title(c.Name)}: {c.Score}/100 ({c.Answers} {(c.Answers == 1 ? "answer" : "answers")}{(c.Uncertain > 0 ? $", {c.Uncertain} uncertain" : string.Empty)})")) +
                (card.NotAssessed.Count > 0 ? "\n_Not assessed (skipped): " + Mrkdwn.Escape(string.Join(", ", card.NotAssessed.Select(Title))) + "_" : string.Empty), 0);
        }

        if (card.Criteria.Count > 0)
        {
            blocks.Fields([.. card.Criteria.Select(c => $"*{Title(c.Name)}*\n{c.Score}/100{MockReportText.UncertainMark(c)}")], 0);
        }

        for (var i = 0; i < card.WorkOn.Count; i++)
        {
            var item = card.WorkOn[i];
            blocks.Section($"*Work on {i + 1}: {Mrkdwn.Fit(item.Title, 200)}*" +
                           (item.Quote.Length > 0 ? $"\nYou said: _“{Mrkdwn.Fit(item.Quote, 300)}”_" : string.Empty) +
                           $"\n{Mrkdwn.Fit(item.Suggestion, 400)}", 1);
        }

        if (card.Strongest is { } best)
        {
            blocks.Section($"*Strongest answer* ({best.Overall}/100{(best.Uncertain ? ", uncertain" : string.Empty)}): {Mrkdwn.Fit(best.Question, 300)}" +
                           (best.Quote.Length > 0 ? $"\n_“{Mrkdwn.Fit(best.Quote, 300)}”_" : string.Empty) +
                           (best.Why.Length > 0 ? $"\n{Mrkdwn.Fit(best.Why, 300)}" : string.Empty), 2);
        }

        blocks.Context([Mrkdwn.Fit(card.Comparison.Text, 500)], 1);
        blocks.Actions([Button("Another mock interview", ActionMockStart, null, "primary")], 0);
    }

    private static string SummaryOf(ReportView view) =>
        (view.Headline is { } headline ? headline + " " : string.Empty) +
        $"Overall {view.Report.Overall}/100 on “{view.Report.Question.Text}”." +
        (view.Improvements.Count > 0 ? $" Top improvement: {view.Improvements[0].Title}." : string.Empty);

    // The fallback text is shown in notifications; Slack parses it like mrkdwn, so it is escaped too.
    private static string Fallback(string text) => Mrkdwn.Fit(text, MaxFallbackText);

    private static string Lead(string text, string question)
    {
        // The reply text is "<lead>\n<question>"; the question gets its own block.
        var lead = text.EndsWith(question, StringComparison.Ordinal) ? text[..^question.Length].TrimEnd() : text;
        return Mrkdwn.Fit(lead.Length == 0 ? "Your question:" : lead, 500);
    }

    private static string Bullets(IEnumerable<string> items, int limit)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return "-";
        }

        var each = Math.Max(20, (limit / list.Count) - 3);
        return string.Join('\n', list.Select(i => "• " + Mrkdwn.Fit(i, each)));
    }

    private static string Title(string name)
    {
        var words = name.Replace('_', ' ').Replace('-', ' ');
        return Mrkdwn.Fit(words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..], 60);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static JsonObject Button(string text, string actionId, string? value, string? style = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Mrkdwn.FitPlain(text, MaxButtonText), ["emoji"] = true },
            ["action_id"] = actionId,
        };
        if (!string.IsNullOrEmpty(value))
        {
            button["value"] = Mrkdwn.FitPlain(value, 2_000);
        }

        if (style is not null)
        {
            button["style"] = style;
        }

        return button;
    }

    /// <summary>Blocks with a priority each (0 = always kept); the least important go first when over budget.</summary>
    private sealed class Blocks
    {
        private readonly List<(JsonObject Block, int Priority, JsonObject? Compact)> _blocks = [];

        public void Header(string text, int priority) => Add(new JsonObject
        {
            ["type"] = "header",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Mrkdwn.FitPlain(text, MaxHeaderText), ["emoji"] = true },
        }, priority);

        public void Section(string mrkdwn, int priority, JsonObject? accessory = null)
        {
            var section = new JsonObject
            {
                ["type"] = "section",
                ["text"] = Text(Mrkdwn.FitEscaped(mrkdwn, MaxSectionText)),
            };
            if (accessory is not null)
            {
                section["accessory"] = accessory;
            }

            Add(section, priority);
        }

        /// <summary>A section of fields; <paramref name="compact"/>, when given, is what it becomes when the message is over budget.</summary>
        public void Fields(IReadOnlyList<string> fields, int priority, IReadOnlyList<string>? compact = null) =>
            _blocks.Add((FieldsBlock(fields), priority, compact is null ? null : FieldsBlock(compact)));

        public void Context(IReadOnlyList<string> elements, int priority) => Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray([.. elements.Take(MaxContextElements).Select(e => (JsonNode)Text(Mrkdwn.FitEscaped(e, MaxSectionText)))]),
        }, priority);

        public void Divider(int priority) => Add(new JsonObject { ["type"] = "divider" }, priority);

        public void Actions(IReadOnlyList<JsonObject> buttons, int priority) => Add(new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = "coach_actions",
            ["elements"] = new JsonArray([.. buttons.Take(25)]),
        }, priority);

        public JsonArray Build()
        {
            var kept = _blocks.ToList();
            for (var i = 0; i < kept.Count && Length(kept) > MaxMessageChars; i++)
            {
                if (kept[i].Compact is { } compact)
                {
                    kept[i] = (compact, kept[i].Priority, null);
                }
            }

            while (kept.Count > MaxBlocks || Length(kept) > MaxMessageChars)
            {
                var drop = -1;
                for (var i = 0; i < kept.Count; i++)
                {
                    if (kept[i].Priority > 0 && (drop < 0 || kept[i].Priority >= kept[drop].Priority))
                    {
                        drop = i;
                    }
                }

                if (drop < 0)
                {
                    break;
                }

                kept.RemoveAt(drop);
            }

            return new JsonArray([.. kept.Select(b => (JsonNode)b.Block)]);
        }

        private static JsonObject FieldsBlock(IReadOnlyList<string> fields) => new()
        {
            ["type"] = "section",
            ["fields"] = new JsonArray([.. fields.Take(MaxFields).Select(f => (JsonNode)Text(Mrkdwn.FitEscaped(f, MaxFieldText)))]),
        };

        private void Add(JsonObject block, int priority) => _blocks.Add((block, priority, null));

        private static int Length(List<(JsonObject Block, int Priority, JsonObject? Compact)> blocks) =>
            blocks.Sum(b => b.Block.ToJsonString().Length + 1) + 2;

        private static JsonObject Text(string mrkdwn) => new() { ["type"] = "mrkdwn", ["text"] = mrkdwn };
    }
}
