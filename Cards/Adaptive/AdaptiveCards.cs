using System.Globalization;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Cards.Adaptive;

/// <summary>
/// Renders replies as Adaptive Cards (schema 1.5) for Teams and the web dev chat. Text that comes from users, models or
/// admins (answers, transcripts, quotes, questions, advice) goes into <c>RichTextBlock</c> text runs, which no client
/// reads as markdown, so an answer cannot smuggle links or formatting into the card. Newer elements carry a fallback
/// that older clients (Teams mobile) render instead.
/// </summary>
public static class AdaptiveCards
{
    /// <summary>The Adaptive Card schema version the cards declare.</summary>
    public const string Version = "1.5";

    // Teams refuses messages over about 28 KB; these caps keep the worst case well below that.
    private const int TranscriptChars = 700;
    private const int QuestionChars = 600;
    private const int QuoteChars = 240;
    private const int ItemChars = 250;
    private const int ReasonChars = 200;
    private const int ListItems = 4;
    private const int ParticipantNames = 30;

    /// <summary>The card for a reply.</summary>
    public static JsonObject ForReply(TurnReply reply, CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(options);
        return reply.Kind switch
        {
            // Feedback shown in a round's thread carries no buttons: they would act on whoever presses them.
            TurnReplyKind.Report when reply.Report is { } report => ReportCard(report, options, withActions: reply.Group is not { PublicFeedback: true }),
            TurnReplyKind.GroupRound when reply.Group is { } group => GroupRound(group, new GroupCardContext(), options),
            TurnReplyKind.GroupReminder when reply.Group is { } group => GroupReminder(group, options),
            TurnReplyKind.GroupSummary when reply.Group is { Summary: not null } group => GroupSummary(group, new Dictionary<string, string>()),
            TurnReplyKind.Question when reply.Question is { } question => QuestionCard(reply.Text, question, options, reply.InMockInterview),
            TurnReplyKind.MockReport when reply.Mock is { } mock => MockReportCard(mock),
            TurnReplyKind.Plan when reply.Plan is { } plan => PlanCard(reply.Text.Split('\n')[0], plan),
            TurnReplyKind.Hint when reply.Question is { } question => HintCard(question, reply.Points ?? [], options),
            TurnReplyKind.Progress when reply.Progress is { } progress => ProgressCard(reply.Text, progress),
            TurnReplyKind.Confirm => Card(Paragraphs(reply.Text), [Execute("Yes, delete my data", CardVerbs.ForgetConfirm, null, "destructive")]),
            TurnReplyKind.Error => Card(Paragraphs(reply.Text, color: "Attention"), []),
            _ => Card(Paragraphs(reply.Text), []),
        };
    }

    /// <summary>
    /// A one-line notice ("Reading your answer…", a round's "✓ 2 answers so far") as a card: where a post cut off by a crash
    /// must be found again, a card can carry the hidden key the look-up matches and plain text cannot.
    /// </summary>
    public static JsonObject Notice(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return Card([Text(text, subtle: true)], []);
    }

    /// <summary>The card posted when the app is installed: what CoachBot does and how to practise.</summary>
    public static JsonObject Welcome(CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var body = new JsonArray
        {
            Heading("Practise interview answers here", "Large"),
            Text("I ask you an interview question; you answer it the way you would out loud. I score the answer, quote what worked and what didn't, and suggest what to say instead. " +
                 "I can also make an interview plan from your résumé and a job description, and run a mock interview that holds the feedback until a report card at the end."),
            Text("**How to answer**", spacing: "Medium"),
            Text("- Type your answer as one message\n- Or send a voice recording" + (options.CanRecord ? ": press **Record my answer**, or attach an audio file in our personal chat" : " as an audio file in our personal chat")),
            Text("**Commands**", spacing: "Medium"),
            Facts(
                ("start [role]", "begin, optionally for a role such as product-manager"),
                ("next · repeat · hint", "another question, the same one again, what a strong answer covers"),
                ("progress", "your scores over time"),
                ("role · difficulty", "e.g. role designer, difficulty 2"),
                ("plan", "send your résumé file here and paste the job as plan job: <the posting>"),
                ("mock start [plan|role]", "a mock interview of 5 questions with follow-ups and a report card; mock stop ends it"),
                ("forget me", "delete everything I keep about you")),
            Text("In a channel or group chat, mention me first: @CoachBot start.", subtle: true, spacing: "Medium"),
        };
        return Card(body, [Execute("Start practising", CardVerbs.Start, null, "positive")]);
    }

    /// <summary>
    /// A group round's question card: the question, how to answer (reply in the thread by text, or record),
    /// the deadline, the facilitator and where feedback goes.
    /// </summary>
    public static JsonObject GroupRound(GroupReply group, GroupCardContext context, CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var question = group.Question ?? new ReportNextQuestion(string.Empty, string.Empty);
        var where = context.InThread ? "Reply in this thread" : "Reply in this chat";
        var body = new JsonArray
        {
            Heading(group.QuestionCount > 1 ? $"Group practice · question {group.QuestionNumber} of {group.QuestionCount}" : "Group practice", "Medium"),
            Rich(Run(Clip(question.Text, QuestionChars), bold: true)).WithSize("Medium"),
            // Teams gives bots no voice messages or files outside personal chats: out loud means the recorder.
            Text(options.CanRecord ? $"{where} with your answer typed, or press **Record my answer** to say it out loud." : $"{where} with your answer, typed.", spacing: "Medium"),
            Text(context.PublicFeedback
                ? "Your feedback is posted here in the thread. Say **share** if the summary may quote your best line."
                : "Your feedback comes to you privately, in your chat with CoachBot. Say **share** if the summary may quote your best line."),
            Facts(
                ("Role", group.Role),
                ("Answer by", Deadline(group.Deadline))),
            Rich(Run("Facilitator: ", subtle: true), Run(context.FacilitatorName is { Length: > 0 } name ? Clip(name, 100) : "the member who started the round", subtle: true)),
            Text("The facilitator can say **next**, **remind** or **wrap**.", subtle: true),
        };
        var actions = new JsonArray();
        if (options.CanRecord && question.Id.Length > 0)
        {
            actions.Add(Record(question.Id));
        }

        return Card(body, actions);
    }

    /// <summary>The reminder posted in a round's thread (the members it nudges are mentioned in the message's text).</summary>
    public static JsonObject GroupReminder(GroupReply group, CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(options);
        var body = new JsonArray
        {
            Heading("Still open", "Medium"),
            Rich(Run(Clip(group.Question?.Text ?? string.Empty, QuestionChars), bold: true)),
            Text($"Answer in this thread before {Deadline(group.Deadline)}" + (options.CanRecord ? ", typed or with **Record my answer**." : ", typed."), subtle: true),
        };
        var actions = new JsonArray();
        if (options.CanRecord && group.Question is { } question)
        {
            actions.Add(Record(question.Id));
        }

        return Card(body, actions);
    }

    /// <summary>
    /// A round's summary: who took part, how many answers, the average scores (one decimal, as the summary gives them),
    /// the most common strengths and improvements with an anonymous example each, and quotes from members who agreed.
    /// </summary>
    /// <param name="group">The wrapped round, with its summary.</param>
    /// <param name="names">Display names by user id, where known.</param>
    public static JsonObject GroupSummary(GroupReply group, IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(names);
        var summary = group.Summary ?? throw new ArgumentException("The reply holds no summary.", nameof(group));
        var body = new JsonArray
        {
            Heading("Group practice: round summary", "Large"),
            Facts(
                ("Participants", summary.Participants.Count.ToString(CultureInfo.InvariantCulture)),
                ("Answers", summary.Answers.ToString(CultureInfo.InvariantCulture)),
                ("Average overall", summary.AverageOverall is { } overall ? Score(overall) : "–")),
        };
        if (summary.Participants.Count > 0)
        {
            var shown = summary.Participants.Take(ParticipantNames).Select(p => names.TryGetValue(p, out var n) ? Clip(n, 60) : "a member").ToList();
            var more = summary.Participants.Count - shown.Count;
            body.Add(Rich(Run("Thanks to ", subtle: true), Run(string.Join(", ", shown) + (more > 0 ? $" and {more} more" : string.Empty))));
        }

        foreach (var (question, index) in summary.Questions.Take(ListItems).Select((q, i) => (q, i)))
        {
            body.Add(Rich(Run(summary.Questions.Count > 1 ? $"Question {index + 1}: " : "Question: ", subtle: true), Run(Clip(question.Text, QuestionChars))));
        }

        if (summary.Averages.Count > 0)
        {
            body.Add(Heading("Average scores"));
            body.Add(Facts([.. summary.Averages.Take(12).Select(a => (Dimension(a.Dimension),
                Score(a.Score) + (a.Answers < summary.Answers ? $" ({a.Answers} of {summary.Answers} answers)" : string.Empty)))]));
        }

        AddThemes(body, "Common strengths", summary.CommonStrengths, "Good");
        AddThemes(body, "What to work on together", summary.CommonImprovements, "Warning");
        if (summary.Highlights.Count > 0)
        {
            body.Add(Heading("Highlights"));
            foreach (var highlight in summary.Highlights.Take(ListItems))
            {
                var runs = new List<JsonObject> { Run(Quote(Clip(highlight.Quote, QuoteChars)), italic: true) };
                if (highlight.UserId is { } user)
                {
                    runs.Add(Run(" — " + (names.TryGetValue(user, out var n) ? Clip(n, 60) : "a member"), bold: true));
                }

                runs.Add(Run($" ({highlight.Overall}/100)", subtle: true));
                body.Add(Rich([.. runs]));
            }
        }

        body.Add(Text("Quotes in themes name no one; highlights come only from members who said **share**.", subtle: true, spacing: "Medium"));
        return Card(body, []);
    }

    /// <summary>
    /// The consent step: the member's feedback could not be sent privately because they have not installed CoachBot
    /// for themselves; the button opens their chat with the bot, which installs it.
    /// </summary>
    public static JsonObject GroupConsent(string chatUrl)
    {
        var body = new JsonArray
        {
            Text("Your feedback is ready, but I can only send it in your own chat with CoachBot. Open the chat (this adds CoachBot for you) and I'll send it there straight away."),
        };
        return Card(body, [new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open my chat with CoachBot", ["url"] = chatUrl }]);
    }

    private static void AddThemes(JsonArray body, string title, IReadOnlyList<GroupTheme> themes, string color)
    {
        if (themes.Count == 0)
        {
            return;
        }

        body.Add(Heading(title));
        foreach (var theme in themes)
        {
            body.Add(Rich(
                Run("• ", color: color),
                Run(Clip(theme.Title, ItemChars), bold: true),
                Run(theme.Members == 1 ? " · 1 member" : $" · {theme.Members} members", subtle: true)));
            if (theme.Example is { Length: > 0 } example)
            {
                body.Add(Rich(Run("For example: ", subtle: true), Run(Quote(Clip(example, QuoteChars)), italic: true)));
            }
        }
    }

    private static string Score(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Deadline(DateTimeOffset at) => at.UtcDateTime.ToString("ddd d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static JsonObject ReportCard(CoachingReport report, CardOptions options, bool withActions = true)
    {
        var view = ReportView.For(report);
        var body = new JsonArray();
        if (view.Headline is { } headline)
        {
            // The first thing read: the answer missed the question, or its transcript cannot be trusted.
            body.Add(Rich(Run("⚠ " + Clip(headline, ItemChars), bold: true, color: "Attention")).WithSize("Medium"));
        }

        var overview = new JsonArray
        {
            Text($"**{view.OverallLine}**"),
            Rich(Run("Question: ", bold: true), Run(Clip(report.Question.Text, QuestionChars))),
        };
        if (view.QuestionTypeLine is { } judgedAs)
        {
            overview.Add(Rich(Run(Clip(judgedAs, ReasonChars), subtle: true)));
        }

        body.Add(new JsonObject
        {
            ["type"] = "ColumnSet",
            ["columns"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "Column", ["width"] = "auto", ["verticalContentAlignment"] = "Center",
                    ["items"] = new JsonArray
                    {
                        new JsonObject { ["type"] = "TextBlock", ["text"] = report.Overall.ToString(CultureInfo.InvariantCulture), ["size"] = "ExtraLarge", ["weight"] = "Bolder", ["color"] = ScoreColor(report.Overall) },
                    },
                },
                new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = overview },
            },
        });
        body.Add(ScoreTable(view.Scores));
        if (view.AnyUncertain)
        {
            body.Add(Text(ReportView.UncertainNote, subtle: true));
        }

        if (view.Transcript is { } transcript)
        {
            body.Add(Heading(transcript.Heading));
            body.Add(Rich(Run(Clip(transcript.EngineLine, ReasonChars), subtle: true)));
            if (transcript.Text.Length > 0)
            {
                body.Add(transcript.Quoted
                    ? Rich(Run(Quote(Clip(transcript.Text, TranscriptChars)), italic: true))
                    : Rich(Run(Clip(transcript.Text, TranscriptChars), subtle: true)));
            }

            if (transcript.Advice is { } advice)
            {
                body.Add(Rich(Run(advice, color: "Warning")));
            }

            if (report.Delivery is { } delivery)
            {
                body.Add(Heading(ReportTitles.Delivery));
                body.Add(DeliveryFacts(delivery));
            }

            if (report.Emotions is { } emotions)
            {
                body.Add(Heading(ReportTitles.Tone));
                body.Add(Facts(
                    ("Confidence", $"{emotions.Confidence}/100"),
                    ("Enthusiasm", $"{emotions.Enthusiasm}/100"),
                    ("Calm", $"{emotions.Calm}/100"),
                    ("Positivity", $"{emotions.Positivity}/100"),
                    ("Overall tone", emotions.Dominant)));
            }
        }

        if (report.Strengths.Count > 0)
        {
            body.Add(Heading(ReportTitles.Strengths));
            foreach (var strength in report.Strengths.Take(ListItems))
            {
                body.Add(Rich(Run("✓ ", bold: true, color: "Good"), Run(Clip(strength, ItemChars))));
            }
        }

        if (view.Improvements.Count > 0)
        {
            body.Add(Heading(ReportTitles.Improvements));
            foreach (var improvement in view.Improvements.Take(ListItems))
            {
                body.Add(Rich(Run(Clip(improvement.Title, ItemChars), bold: true)));
                if (improvement.Evidence is { } evidence)
                {
                    body.Add(Rich(Run(ReportView.EvidenceLabel + ": ", subtle: true), Run(Quote(Clip(evidence, QuoteChars)), italic: true)));
                }

                body.Add(Rich(Run(Clip(improvement.Suggestion, ItemChars))));
                if (improvement.Article is { } pointer)
                {
                    body.Add(Pointer(pointer, options));
                }
            }
        }

        if (report.MissedPoints.Count > 0)
        {
            body.Add(Heading(ReportTitles.MissedPoints));
            foreach (var point in report.MissedPoints.Take(ListItems))
            {
                body.Add(Rich(Run("• "), Run(Clip(point, ItemChars))));
            }
        }

        if (report.ImprovedExample is { Length: > 0 } example)
        {
            body.Add(Heading(ReportTitles.ImprovedExample));
            body.Add(Rich(Run(Clip(example, TranscriptChars))));
        }

        foreach (var warning in report.Warnings.Take(2))
        {
            body.Add(Rich(Run("⚠ " + Clip(warning, ReasonChars), color: "Warning")));
        }

        if (report.NextQuestion is { } next)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["style"] = "emphasis",
                ["spacing"] = "Large",
                ["items"] = new JsonArray { Text($"**{ReportTitles.NextQuestion}**"), Rich(Run(Clip(next.Text, QuestionChars))) },
            });
        }

        var footer = new List<JsonObject> { Run($"Advice by {view.AdviceBy}", subtle: true) };
        if (report.References.Count > 0)
        {
            footer.Add(Run(" · Based on: " + Clip(string.Join("; ", report.References.Take(3).Select(r => r.Title)), ReasonChars), subtle: true));
        }

        body.Add(Rich([.. footer]).WithSize("Small"));
        if (!withActions)
        {
            return Card(body, []);
        }

        // After a report the user's open question is the next one: hint and record refer to it, retry to the answered one.
        var actions = new JsonArray
        {
            Execute("Next question", CardVerbs.Next, report.Question.Id, "positive"),
            Execute("Try again", CardVerbs.Retry, report.Question.Id),
        };
        if (report.NextQuestion is { } upcoming)
        {
            actions.Add(Execute("Hint", CardVerbs.Hint, upcoming.Id));
            if (options.CanRecord)
            {
                actions.Add(Record(upcoming.Id));
            }
        }

        return Card(body, actions);
    }

    private static JsonObject QuestionCard(string text, ReportNextQuestion question, CardOptions options, bool inMock)
    {
        // The lead is ours ("Next question:", a mock interview's "I heard: …" then "Question 2 of 5:"); the question itself
        // comes from the bank or an admin. A heard transcript is the user's words: text runs, never markdown.
        var lead = text.EndsWith(question.Text, StringComparison.Ordinal) ? text[..^question.Text.Length].TrimEnd() : text.Split('\n')[0];
        var body = new JsonArray();
        if (lead.Length == 0)
        {
            body.Add(Text("Your question", subtle: true));
        }

        foreach (var line in lead.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4))
        {
            body.Add(Rich(Run(Clip(line, ItemChars), subtle: true)));
        }

        body.Add(Rich(Run(Clip(question.Text, QuestionChars), bold: true)).WithSize("Medium"));
        body.Add(Text("Answer in one message, as you would out loud" + (options.CanRecord ? ", or record it." : ", or send a voice recording."), subtle: true));

        // A mock interview gives no hints, as a real one does not; "next" there skips the question (recorded as skipped).
        var actions = inMock ? new JsonArray() : new JsonArray { Execute("Hint", CardVerbs.Hint, question.Id) };
        if (options.CanRecord)
        {
            actions.Add(Record(question.Id));
        }

        actions.Add(Execute(inMock ? "Skip question" : "Next question", CardVerbs.Next, question.Id));
        return Card(body, actions);
    }

    /// <summary>
    /// A mock interview's report card: readiness, scores per competency and per criterion, the three things to work on
    /// with the user's own words, the strongest answer and the comparison with earlier mock interviews.
    /// </summary>
    public static JsonObject MockReportCard(Coaching.Mock.MockReportCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var body = new JsonArray
        {
            Heading("Mock interview report", "Large"),
            Rich(Run(Clip(card.Title, ItemChars), subtle: true)),
            new JsonObject
            {
                ["type"] = "ColumnSet",
                ["columns"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "Column", ["width"] = "auto", ["verticalContentAlignment"] = "Center",
                        ["items"] = new JsonArray
                        {
                            new JsonObject { ["type"] = "TextBlock", ["text"] = card.Readiness.ToString(CultureInfo.InvariantCulture), ["size"] = "ExtraLarge", ["weight"] = "Bolder", ["color"] = ScoreColor(card.Readiness) },
                        },
                    },
                    new JsonObject
                    {
                        ["type"] = "Column", ["width"] = "stretch",
                        ["items"] = new JsonArray
                        {
                            Text($"**Readiness {card.Readiness}/100 ({card.ReadinessLabel})**"),
                            Text($"{card.Answered} answered · {card.Skipped} skipped · {card.FollowUps} follow-ups" + (card.Skipped > 0 ? " (a skipped question counts as 0)" : string.Empty), subtle: true),
                        },
                    },
                },
            },
        };
        if (MockReportText.UncertainNote(card) is { } uncertain)
        {
            body.Add(Rich(Run(uncertain, color: "Warning")));
        }

        if (card.Answers.Count > 0)
        {
            body.Add(Heading("By question"));
            foreach (var line in card.Answers.Take(24))
            {
                // Question text may come from the user's own plan: text runs, never markdown.
                body.Add(Rich(Run(MockReportText.AnswerLabel(line) + "  ", bold: true),
                    Run(MockReportText.AnswerFigure(line), bold: line.Uncertain, color: line.Uncertain ? "Warning" : null),
                    Run(" · " + Clip(line.Question, QuestionChars), subtle: true)));
            }
        }

        if (card.Competencies.Count > 0)
        {
            body.Add(Heading("By competency"));
            body.Add(Facts([.. card.Competencies.Take(12).Select(c => (Dimension(c.Name),
                $"{c.Score}/100 ({c.Answers} {(c.Answers == 1 ? "answer" : "answers")}{(c.Uncertain > 0 ? $", {c.Uncertain} uncertain" : string.Empty)})"))]));
        }

        if (card.NotAssessed.Count > 0)
        {
            body.Add(Rich(Run("Not assessed (skipped): ", subtle: true), Run(string.Join(", ", card.NotAssessed.Select(Dimension)))));
        }

        if (card.Criteria.Count > 0)
        {
            body.Add(Heading("By criterion"));
            body.Add(Facts([.. card.Criteria.Select(c => (Dimension(c.Name), $"{c.Score}/100{MockReportText.UncertainMark(c)}"))]));
        }

        if (card.WorkOn.Count > 0)
        {
            body.Add(Heading("Work on first"));
            foreach (var (item, index) in card.WorkOn.Select((w, i) => (w, i)))
            {
                body.Add(Rich(Run($"{index + 1}. ", bold: true), Run(Clip(item.Title, ItemChars), bold: true),
                    Run(item.Answers > 1 ? $" · in {item.Answers} answers" : string.Empty, subtle: true)));
                if (item.Quote.Length > 0)
                {
                    body.Add(Rich(Run("You said: ", subtle: true), Run(Quote(Clip(item.Quote, QuoteChars)), italic: true)));
                }

                body.Add(Rich(Run(Clip(item.Suggestion, ItemChars))));
            }
        }

        if (card.Strongest is { } best)
        {
            body.Add(Heading("Strongest answer"));
            body.Add(best.Uncertain
                ? Rich(Run($"{best.Overall}/100 (uncertain) ", bold: true, color: "Warning"), Run(Clip(best.Question, QuestionChars)))
                : Rich(Run($"{best.Overall}/100 ", bold: true, color: "Good"), Run(Clip(best.Question, QuestionChars))));
            if (best.Quote.Length > 0)
            {
                body.Add(Rich(Run(Quote(Clip(best.Quote, QuoteChars)), italic: true)));
            }

            body.Add(Rich(Run(Clip(best.Why, ItemChars), subtle: true)));
        }

        body.Add(Heading("Compared with your earlier mock interviews"));
        body.Add(Rich(Run(Clip(card.Comparison.Text, ItemChars))));
        return Card(body, [Execute("Another mock interview", CardVerbs.MockStart, null, "positive")]);
    }

    /// <summary>
    /// An interview plan: what it is for, the skills the job asks for, each question with its own Skip button, and
    /// Start (a mock interview of the plan) and Regenerate. Facts from the documents go in text runs, never markdown.
    /// </summary>
    public static JsonObject PlanCard(string lead, Coaching.Plans.InterviewPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = new JsonArray
        {
            Heading("Interview plan", "Large"),
            Rich(Run(Clip(lead, ItemChars), subtle: true)),
            Rich(Run(Clip(plan.JobTitle ?? plan.Role, 120), bold: true), Run($" · {plan.Role}" + (plan.Seniority is { } level ? $" · {level}" : string.Empty), subtle: true)),
        };
        if (plan.Skills.Count > 0)
        {
            body.Add(Rich(Run("Skills the job asks for: ", subtle: true),
                Run(Clip(string.Join(", ", plan.Skills.Select(s => s.InResume ? s.Name : s.Name + " (not on your résumé)")), 400))));
        }

        for (var i = 0; i < plan.Questions.Count; i++)
        {
            var question = plan.Questions[i];
            body.Add(new JsonObject
            {
                ["type"] = "ColumnSet",
                ["spacing"] = "Medium",
                ["columns"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "Column", ["width"] = "stretch",
                        ["items"] = new JsonArray
                        {
                            Rich(Run($"{i + 1}. ", bold: true), Run(Clip(question.Text, QuestionChars))),
                            Rich(Run(question.Source == Coaching.Plans.PlanQuestion.Written ? $"written for you · {question.Category}" : $"from the bank · {question.Category}", subtle: true)),
                        },
                    },
                    new JsonObject
                    {
                        ["type"] = "Column", ["width"] = "auto", ["verticalContentAlignment"] = "Center",
                        ["items"] = new JsonArray { new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray { Execute("Skip question", CardVerbs.PlanSkip, question.Id) } } },
                    },
                },
            });
        }

        body.Add(Text("Kept: skills, experience phrases and duties. The files themselves are deleted; “forget me” deletes the plan.", subtle: true, spacing: "Medium"));
        return Card(body, [Execute("Start", CardVerbs.MockStartPlan, null, "positive"), Execute("Regenerate", CardVerbs.PlanRegenerate, null)]);
    }

    private static JsonObject HintCard(ReportNextQuestion question, IReadOnlyList<string> points, CardOptions options)
    {
        var body = new JsonArray
        {
            Heading("Hint", "Medium"),
            Rich(Run("For: ", subtle: true), Run(Clip(question.Text, QuestionChars))),
            Text("A strong answer covers:", spacing: "Medium"),
        };
        foreach (var point in points.Take(8))
        {
            body.Add(Rich(Run("• "), Run(Clip(point, ItemChars))));
        }

        var actions = new JsonArray();
        if (options.CanRecord)
        {
            actions.Add(Record(question.Id));
        }

        actions.Add(Execute("Next question", CardVerbs.Next, question.Id));
        return Card(body, actions);
    }

    private static JsonObject ProgressCard(string text, ProgressSummary progress)
    {
        var body = new JsonArray { Heading("Your progress", "Medium") };
        if (progress.Attempts == 0)
        {
            body.Add(Rich(Run(Clip(text, 2_000))));
            AddMocks(body, progress);
            return Card(body, [Execute("Start practising", CardVerbs.Start, null, "positive")]);
        }

        var facts = new List<(string, string)>
        {
            ("Answers coached", progress.Attempts.ToString(CultureInfo.InvariantCulture)),
            ("Average score", progress.AverageOverall is { } average ? $"{average}/100" : "–"),
            ("Trend", progress.Trend.Change is { } change ? $"{progress.Trend.Direction} ({change:+0;-0;0} over the last {progress.Trend.Window})" : progress.Trend.Direction),
        };
        if (progress.WeakestDimension is { } weakest)
        {
            facts.Add(("Work on", Dimension(weakest)));
        }

        body.Add(Facts([.. facts]));
        if (progress.AverageByDimension.Count > 0)
        {
            body.Add(Heading("Average by dimension"));
            body.Add(Facts([.. progress.AverageByDimension.Select(d => (Dimension(d.Key), $"{d.Value}/100"))]));
        }

        AddMocks(body, progress);

        return Card(body, [Execute("Next question", CardVerbs.Next, null, "positive")]);
    }

    private static void AddMocks(JsonArray body, ProgressSummary progress)
    {
        if (progress.Mocks.Count == 0)
        {
            return;
        }

        body.Add(Heading("Mock interviews"));
        body.Add(Facts([.. progress.Mocks.Take(5).Select(m => (Deadline(m.FinishedAt), $"{m.Readiness}/100 readiness · {m.Answered} answers"))]));
    }

    private static JsonObject ScoreTable(IReadOnlyList<ScoreLine> scores)
    {
        var rows = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TableRow", ["style"] = "emphasis",
                ["cells"] = new JsonArray { Cell(Text("**Dimension**")), Cell(Text("**Score**")), Cell(Text("**Why**")) },
            },
        };
        foreach (var score in scores)
        {
            rows.Add(new JsonObject
            {
                ["type"] = "TableRow",
                ["cells"] = new JsonArray
                {
                    Cell(Text(score.Title)),
                    Cell(new JsonObject { ["type"] = "TextBlock", ["text"] = score.Value, ["color"] = score.Uncertain ? "Default" : ScoreColor(score.Score.Score), ["wrap"] = true }),
                    Cell(Rich(Run(Clip(score.Score.Reason, ReportView.ReasonChars)))),
                },
            });
        }

        return new JsonObject
        {
            ["type"] = "Table",
            ["spacing"] = "Medium",
            ["firstRowAsHeader"] = true,
            ["showGridLines"] = false,
            ["columns"] = new JsonArray { new JsonObject { ["width"] = 2 }, new JsonObject { ["width"] = 2 }, new JsonObject { ["width"] = 5 } },
            ["rows"] = rows,
            // Clients before 1.5 (older Teams mobile builds) show the scores as facts.
            ["fallback"] = Facts([.. scores.Select(s => (s.Title, s.Value))]),
        };
    }

    /// <summary>
    /// An improvement's "More in …" pointer: a button that opens the article's page where pages are reachable from this
    /// client, otherwise the title alone.
    /// </summary>
    private static JsonObject Pointer(ArticlePointer pointer, CardOptions options)
    {
        if (pointer.Id is { } id && options.ArticleUrl(id) is { } url)
        {
            return new JsonObject
            {
                ["type"] = "ActionSet",
                ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = Clip(pointer.ButtonText, 60), ["url"] = url } },
            };
        }

        return Rich(Run(Clip(pointer.Label, 100), subtle: true));
    }

    private static JsonObject DeliveryFacts(DeliveryReport delivery)
    {
        var facts = new List<(string, string)>
        {
            ("Pace", $"{delivery.WordsPerMinute:0} words/min"),
            ("Fillers", delivery.Fillers.Count == 0 ? "none" : $"{delivery.Fillers.Count} ({delivery.Fillers.PerMinute:0.#}/min)" + (delivery.Fillers.Top.Count > 0 ? ": " + string.Join(", ", delivery.Fillers.Top.Take(3)) : string.Empty)),
            ("Pauses", $"{delivery.Pauses} ({delivery.LongPauses} long)"),
            ("Length", $"{delivery.DurationSeconds:0} s, {delivery.Words} words"),
        };
        if (delivery.Pitch.VariationSemitones is { } variation)
        {
            facts.Add(("Pitch variation", $"{variation:0.#} semitones"));
        }

        facts.Add(("Energy variation", $"{delivery.Energy.VariationDb:0.#} dB"));
        if (delivery.Flags.Count > 0)
        {
            facts.Add(("Watch", string.Join(", ", delivery.Flags)));
        }

        return Facts([.. facts]);
    }

    private static string Dimension(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' ');

    private static string ScoreColor(int score) => score >= 65 ? "Good" : score >= 45 ? "Warning" : "Attention";

    private static string Quote(string text) => $"“{text}”";

    /// <summary>Cuts at a word boundary and marks the cut, so a long answer never overflows a card.</summary>
    internal static string Clip(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max - 1, Math.Min(max, 80));
        return string.Concat(text.AsSpan(0, cut > 0 ? cut : max - 1), "…");
    }

    private static JsonObject Card(JsonArray body, JsonArray actions)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = Version,
            ["body"] = body,
            ["msteams"] = new JsonObject { ["width"] = "Full" },
        };
        if (actions.Count > 0)
        {
            card["actions"] = actions;
        }

        return card;
    }

    private static JsonObject Heading(string text, string size = "Default") =>
        new() { ["type"] = "TextBlock", ["text"] = text, ["weight"] = "Bolder", ["size"] = size, ["spacing"] = "Medium", ["wrap"] = true };

    /// <summary>A TextBlock for our own fixed wording only (it may use markdown).</summary>
    private static JsonObject Text(string text, bool subtle = false, string? spacing = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (subtle)
        {
            block["isSubtle"] = true;
        }

        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        return block;
    }

    private static JsonArray Paragraphs(string text, string? color = null)
    {
        var blocks = new JsonArray();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            blocks.Add(Rich(Run(Clip(line, 2_000), color: color)));
        }

        return blocks;
    }

    private static JsonObject Rich(params JsonObject[] runs) => new() { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(runs) };

    private static JsonObject Run(string text, bool bold = false, bool italic = false, bool subtle = false, string? color = null)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (bold)
        {
            run["weight"] = "Bolder";
        }

        if (italic)
        {
            run["italic"] = true;
        }

        if (subtle)
        {
            run["isSubtle"] = true;
        }

        if (color is not null)
        {
            run["color"] = color;
        }

        return run;
    }

    private static JsonObject WithSize(this JsonObject rich, string size)
    {
        foreach (var run in rich["inlines"]!.AsArray())
        {
            run!["size"] = size;
        }

        return rich;
    }

    private static JsonObject Cell(JsonObject item) => new() { ["type"] = "TableCell", ["items"] = new JsonArray { item } };

    private static JsonObject Facts(params (string Title, string Value)[] facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
    };

    private static JsonObject Data(string verb, string? questionId)
    {
        var data = new JsonObject { [CardVerbs.Field] = verb };
        if (questionId is not null)
        {
            data[CardVerbs.QuestionField] = questionId;
        }

        return data;
    }

    /// <summary>Action.Execute (Universal Actions: the bot answers the invoke with a new card), falling back to Action.Submit.</summary>
    private static JsonObject Execute(string title, string verb, string? questionId, string? style = null)
    {
        var submit = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = Data(verb, questionId) };
        var execute = new JsonObject { ["type"] = "Action.Execute", ["title"] = title, ["verb"] = verb, ["data"] = Data(verb, questionId), ["fallback"] = submit };
        if (style is not null)
        {
            execute["style"] = style;
            submit["style"] = style;
        }

        return execute;
    }

    /// <summary>Opens the recorder in a Teams dialog (task/fetch); the web dev chat opens its recorder for the same data.</summary>
    private static JsonObject Record(string questionId)
    {
        var data = Data(CardVerbs.Record, questionId);
        data["msteams"] = new JsonObject { ["type"] = "task/fetch" };
        return new JsonObject { ["type"] = "Action.Submit", ["title"] = "Record my answer", ["data"] = data };
    }
}
