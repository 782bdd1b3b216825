using System.ComponentModel.DataAnnotations;
using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Groups;

/// <summary>A group coaching round: a facilitator's question (or several) that members answer in one thread.</summary>
public sealed record GroupRound
{
    /// <summary>The round id.</summary>
    public required long Id { get; init; }

    /// <summary>slack or teams.</summary>
    public required string Channel { get; init; }

    /// <summary>The workspace or tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>The channel or group chat the round runs in.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The thread the round card started (set once the card is posted).</summary>
    public string? ThreadId { get; init; }

    /// <summary>Who started the round; with admins, the only one who may run next, wrap and remind.</summary>
    public required string FacilitatorId { get; init; }

    /// <summary>The role the questions are for.</summary>
    public required string Role { get; init; }

    /// <summary>The questions, in order.</summary>
    public required IReadOnlyList<string> QuestionIds { get; init; }

    /// <summary>The index of the question members answer now.</summary>
    public required int CurrentIndex { get; init; }

    /// <summary>Whether the round was wrapped up.</summary>
    public required bool Wrapped { get; init; }

    /// <summary>When the round wraps up on its own.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Whether members were already reminded (it happens once).</summary>
    public required bool Reminded { get; init; }

    /// <summary>Channel routing for posting into the round's thread (a service URL, a tenant).</summary>
    public required IReadOnlyDictionary<string, string> Routing { get; init; }

    /// <summary>The current question's id.</summary>
    public string CurrentQuestionId => QuestionIds[CurrentIndex];
}

/// <summary>A member's coached answer in a round.</summary>
/// <param name="UserKey">The member's session key (channel-scoped), used for forgetting.</param>
/// <param name="UserId">The member's id on the platform.</param>
/// <param name="Ordinal">Which question of the round it answers.</param>
/// <param name="Report">The report the member received.</param>
public sealed record GroupAnswer(string UserKey, string UserId, int Ordinal, CoachingReport Report);

/// <summary>What a reply about a round carries for the adapter to render.</summary>
public sealed record GroupReply
{
    /// <summary>The round.</summary>
    public required long RoundId { get; init; }

    /// <summary>Where the round's thread is, once it has one.</summary>
    public string? ThreadId { get; init; }

    /// <summary>The question members answer now (round cards).</summary>
    public ReportNextQuestion? Question { get; init; }

    /// <summary>1-based number of the current question and how many the round has.</summary>
    public int QuestionNumber { get; init; }

    /// <summary>How many questions the round has.</summary>
    public int QuestionCount { get; init; }

    /// <summary>When the round wraps up.</summary>
    public DateTimeOffset Deadline { get; init; }

    /// <summary>Who facilitates.</summary>
    public string FacilitatorId { get; init; } = string.Empty;

    /// <summary>The role of the questions.</summary>
    public string Role { get; init; } = string.Empty;

    /// <summary>For an answer: whether its feedback is shown in the thread (a channel setting) or sent to the member only.</summary>
    public bool PublicFeedback { get; init; }

    /// <summary>For an answer: how many answers the round has now (the thread's acknowledgement).</summary>
    public int AnswerCount { get; init; }

    /// <summary>For a reminder: the members who already answered the current question (the adapter nudges the rest of the channel).</summary>
    public IReadOnlyList<string> Answered { get; init; } = [];

    /// <summary>For a wrap-up: the summary.</summary>
    public GroupSummary? Summary { get; init; }
}

/// <summary>The summary posted when a round is wrapped up.</summary>
/// <param name="Participants">Who answered (platform user ids; members who asked to be forgotten are left out).</param>
/// <param name="Answers">How many answers were coached.</param>
/// <param name="Questions">The round's questions.</param>
/// <param name="AverageOverall">The mean over members of each member's mean overall score, one decimal.</param>
/// <param name="Averages">Per dimension, the mean over members of each member's mean score (members whose answers have it), one decimal, in report order.</param>
/// <param name="CommonStrengths">The (at most two) strengths found in the most answers, each with an anonymous example.</param>
/// <param name="CommonImprovements">The (at most two) improvements found in the most answers, each with an anonymous example.</param>
/// <param name="Highlights">Quotes from members who opted in, attributed to them.</param>
public sealed record GroupSummary(
    IReadOnlyList<string> Participants,
    int Answers,
    IReadOnlyList<ReportNextQuestion> Questions,
    double? AverageOverall,
    IReadOnlyList<GroupAverage> Averages,
    IReadOnlyList<GroupTheme> CommonStrengths,
    IReadOnlyList<GroupTheme> CommonImprovements,
    IReadOnlyList<GroupHighlight> Highlights);

/// <summary>A dimension's mean score across a round's members, and how many answers it covers.</summary>
public sealed record GroupAverage(string Dimension, double Score, int Answers);

/// <summary>A strength or improvement several members shared, with an example quote that names no one.</summary>
public sealed record GroupTheme(string Title, int Members, string? Example);

/// <summary>A quote from a member who agreed to be quoted.</summary>
public sealed record GroupHighlight(string? UserId, string Quote, int Overall);

/// <summary>A channel's question-of-the-day schedule.</summary>
public sealed record GroupSchedule
{
    /// <summary>slack or teams.</summary>
    public required string Channel { get; init; }

    /// <summary>The channel or group chat.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The workspace or tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Who set it up (the facilitator of the rounds it starts).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Local time of day, HH:mm.</summary>
    public required TimeOnly LocalTime { get; init; }

    /// <summary>An IANA time zone id.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The role of the questions.</summary>
    public required string Role { get; init; }

    /// <summary>Channel routing for posting the round.</summary>
    public required IReadOnlyDictionary<string, string> Routing { get; init; }

    /// <summary>The next working day's start, in UTC.</summary>
    public required DateTimeOffset NextRunAt { get; init; }
}

/// <summary>Settings of group rounds.</summary>
public sealed class GroupOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Groups";

    /// <summary>How long a round stays open when the facilitator gives no deadline.</summary>
    [Range(0.1, 24 * 14)]
    public double DefaultDeadlineHours { get; set; } = 24;

    /// <summary>The most questions one round may have.</summary>
    [Range(1, 10)]
    public int MaxQuestions { get; set; } = 5;

    /// <summary>How often due rounds and schedules are checked.</summary>
    [Range(1, 3_600)]
    public double CheckSeconds { get; set; } = 30;
}
