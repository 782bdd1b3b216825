using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Mock;

/// <summary>
/// What the three channels' end-to-end tests share: the documents, waiting (generously, nothing timed) for the reply to
/// a turn, answering a mock interview to its report card, and checking the card against the answers stored for it.
/// </summary>
internal static class MockInterviewEndToEnd
{
    public static readonly string Resume = string.Join('\n',
        "Sam Rivera",
        "Senior Backend Engineer",
        "Experience",
        "- Migrated billing to event sourcing, cutting reconciliation errors by 40%",
        "- Built a Kafka order pipeline that handles 2 million events a day",
        "- Led a team of four engineers through the move to Kubernetes on AWS",
        "- Reduced p95 API latency from 800 ms to 120 ms with Redis caching",
        "Skills",
        "C#, .NET, PostgreSQL, Kafka, Docker, Kubernetes, AWS, REST APIs, system design");

    public static readonly string Job = string.Join('\n',
        "Senior Backend Engineer",
        "Responsibilities",
        "- Design and build event-driven services in C# on AWS",
        "- Own the reliability of our payments APIs and lead incident reviews",
        "- Mentor engineers and review designs",
        "Requirements",
        "- 5+ years building distributed systems with Kafka and PostgreSQL");

    public static string Answer(int i) =>
        "Last year I led the migration of our billing service to a new queue. The situation was that nightly jobs failed twice a week. " +
        "My task was to make them reliable before the quarter ended. I measured every failure, then I split the job into retryable steps " +
        $"and added monitoring with the on-call team. As a result failures dropped from {8 + i} a month to one, and I learned to agree on the metric first.";

    /// <summary>The reply to the turn with this key, waiting up to five minutes (a loaded machine transcribes slowly).</summary>
    public static async Task<TurnReply> ReplyAsync(RecordingProcessor processor, string key) =>
        await ReplyAsync(processor, k => k == key);

    public static async Task<TurnReply> ReplyAsync(RecordingProcessor processor, Func<string, bool> key)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            if (processor.Replies.FirstOrDefault(r => key(r.Key)) is { Value: { } reply })
            {
                return reply;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("No reply within five minutes.");
    }

    /// <summary>
    /// Answers the interview from its first question to the report card; <paramref name="answer"/> sends answer number i
    /// (0-based) to the given question and returns the reply. Returns the card and the main questions seen.
    /// </summary>
    public static async Task<(MockReportCard Card, int MainQuestions)> RunAsync(TurnReply first, Func<int, TurnReply, Task<TurnReply>> answer)
    {
        Assert.Equal(TurnReplyKind.Question, first.Kind);
        Assert.True(first.InMockInterview);
        var reply = first;
        var main = 0;
        for (var i = 0; i < 30 && reply.Kind == TurnReplyKind.Question; i++)
        {
            if (reply.Text.StartsWith("Question ", StringComparison.Ordinal) || reply.Text.Contains("\nQuestion ", StringComparison.Ordinal))
            {
                main++;
            }

            reply = await answer(i, reply);
        }

        Assert.Equal(TurnReplyKind.MockReport, reply.Kind);
        return (reply.Mock!, main);
    }

    /// <summary>The card's figures are the means of the answers stored for the interview; one of them was spoken.</summary>
    public static async Task AssertCardIsMeansOfStoredAnswersAsync(IServiceProvider services, MockReportCard card)
    {
        var database = services.GetRequiredService<SqliteDatabase>();
        await using var connection = await database.OpenAsync(default);
        var stored = await connection.QueryAsync(
            "SELECT overall, competencies_json, report_json FROM mock_answers WHERE mock_id = $m AND status = 'answered';",
            r => (Overall: r.GetInt32(0), Competencies: JsonSerializer.Deserialize<List<string>>(r.GetString(1))!, Report: r.GetString(2)),
            default, ("$m", card.MockId));

        Assert.Equal(card.Answered, stored.Count);
        Assert.NotEmpty(card.Competencies);
        foreach (var competency in card.Competencies)
        {
            var scores = stored.Where(a => a.Competencies.Contains(competency.Name)).Select(a => a.Overall).ToList();
            Assert.Equal((int)Math.Round(scores.Average(), MidpointRounding.AwayFromZero), competency.Score);
        }

        Assert.Contains(stored, a => a.Report.Contains("\"source\":\"voice\"", StringComparison.Ordinal));
        Assert.Contains(card.Criteria, c => c.Name == "delivery" && c.Answers == 1);
    }
}
