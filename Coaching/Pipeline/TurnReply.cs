using System.Text.Json.Serialization;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Coaching.Pipeline;

/// <summary>What a reply holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TurnReplyKind>))]
public enum TurnReplyKind
{
    /// <summary>A coaching report.</summary>
    Report,

    /// <summary>A question to answer (start, next, repeat).</summary>
    Question,

    /// <summary>A hint for the current question.</summary>
    Hint,

    /// <summary>A progress summary.</summary>
    Progress,

    /// <summary>Plain information (help, settings changed, data deleted).</summary>
    Text,

    /// <summary>A request to confirm a destructive action (forget me).</summary>
    Confirm,

    /// <summary>Something went wrong; the text says what and what to do.</summary>
    Error,

    /// <summary>A group round's question: the round card when it starts, or the next question in its thread.</summary>
    GroupRound,

    /// <summary>A nudge in a round's thread for the members who have not answered yet.</summary>
    GroupReminder,

    /// <summary>A round's wrap-up summary, posted in its thread.</summary>
    GroupSummary,

    /// <summary>The report card at the end of a mock interview.</summary>
    MockReport,

    /// <summary>An interview plan made in the chat, with Start, Skip question and Regenerate.</summary>
    Plan,
}

/// <summary>A channel-neutral reply to a turn; each adapter renders it (Adaptive Card, Block Kit, web).</summary>
public sealed record TurnReply
{
    /// <summary>What the reply holds.</summary>
    public required TurnReplyKind Kind { get; init; }

    /// <summary>Text for the user (always set; a plain-text fallback for cards).</summary>
    public required string Text { get; init; }

    /// <summary>The report, for <see cref="TurnReplyKind.Report"/>.</summary>
    public CoachingReport? Report { get; init; }

    /// <summary>The question asked, for question and hint replies.</summary>
    public ReportNextQuestion? Question { get; init; }

    /// <summary>Hint points, for <see cref="TurnReplyKind.Hint"/>.</summary>
    public IReadOnlyList<string>? Points { get; init; }

    /// <summary>The progress summary, for <see cref="TurnReplyKind.Progress"/>.</summary>
    public ProgressSummary? Progress { get; init; }

    /// <summary>
    /// The group round the reply belongs to: set on round, reminder and summary replies, and on the report of an answer
    /// given in a round (which the adapter sends to the member privately unless the channel made feedback public).
    /// </summary>
    public Groups.GroupReply? Group { get; init; }

    /// <summary>The plan, for <see cref="TurnReplyKind.Plan"/>.</summary>
    public Plans.InterviewPlan? Plan { get; init; }

    /// <summary>True for a mock interview's question: cards offer "Skip question" and no hint.</summary>
    public bool InMockInterview { get; init; }

    /// <summary>The report card, for <see cref="TurnReplyKind.MockReport"/>.</summary>
    public Mock.MockReportCard? Mock { get; init; }

    /// <summary>Where a mock interview's question stands (question n of N, or its follow-up); null outside one.</summary>
    public Mock.MockStep? MockStep { get; init; }

    /// <summary>
    /// True on the reply to a confirmed "forget me": the user's data was deleted, so a channel that keeps its own copy of
    /// the conversation (the dev chat) drops it.
    /// </summary>
    public bool Forgotten { get; init; }

    /// <summary>A stable error code, for <see cref="TurnReplyKind.Error"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>An error reply.</summary>
    public static TurnReply Failure(string code, string text) => new() { Kind = TurnReplyKind.Error, Text = text, ErrorCode = code };
}

/// <summary>Delivers replies on one channel. Each adapter registers one.</summary>
public interface ITurnReplier
{
    /// <summary>The channel served: slack, teams, dev.</summary>
    string Channel { get; }

    /// <summary>
    /// Sends (or updates the placeholder with) the reply. Delivery may be repeated after a crash, so adapters
    /// make it idempotent where the platform allows (updating the same placeholder message).
    /// </summary>
    Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken);
}
