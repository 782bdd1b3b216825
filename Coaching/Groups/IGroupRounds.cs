namespace CoachBot.Coaching.Groups;

/// <summary>A round to start.</summary>
/// <param name="Channel">slack or teams.</param>
/// <param name="TenantId">The workspace or tenant.</param>
/// <param name="ConversationId">The channel or group chat.</param>
/// <param name="FacilitatorId">Who starts it.</param>
/// <param name="Role">The role of the questions.</param>
/// <param name="QuestionCount">How many questions.</param>
/// <param name="Deadline">When it wraps up on its own.</param>
/// <param name="Routing">Channel routing for posting into the round's thread.</param>
public sealed record NewGroupRound(
    string Channel, string? TenantId, string ConversationId, string FacilitatorId, string Role, int QuestionCount,
    DateTimeOffset Deadline, IReadOnlyDictionary<string, string> Routing);

/// <summary>Group rounds, their answers, channel settings and schedules, kept in the database so they survive restarts.</summary>
public interface IGroupRounds
{
    /// <summary>Starts a round with questions for the role that this conversation has not had yet (when there are such).</summary>
    Task<GroupRound> StartAsync(NewGroupRound round, CancellationToken cancellationToken);

    /// <summary>
    /// Records the thread the round card started, once the adapter posted it, and adds <paramref name="routing"/> to the
    /// round's routing (what the adapter needs to post into that thread later, e.g. the thread's conversation id).
    /// </summary>
    Task AttachThreadAsync(long roundId, string threadId, IReadOnlyDictionary<string, string>? routing, CancellationToken cancellationToken);

    /// <summary>A round by id.</summary>
    Task<GroupRound?> GetAsync(long roundId, CancellationToken cancellationToken);

    /// <summary>The round whose thread this is, if any.</summary>
    Task<GroupRound?> FindByThreadAsync(string channel, string conversationId, string threadId, CancellationToken cancellationToken);

    /// <summary>
    /// The newest open round of a conversation, if any: where a platform has no threads (a Teams group chat), the
    /// conversation's messages belong to the round open there.
    /// </summary>
    Task<GroupRound?> FindOpenAsync(string channel, string conversationId, CancellationToken cancellationToken);

    /// <summary>Moves an open round to its next question; returns null when it had no more questions.</summary>
    Task<GroupRound?> AdvanceAsync(long roundId, CancellationToken cancellationToken);

    /// <summary>Marks the reminder as sent; false when it had been sent already (a round reminds once).</summary>
    Task<bool> MarkRemindedAsync(long roundId, CancellationToken cancellationToken);

    /// <summary>Stores a member's answer once per idempotency key; returns how many answers the round has.</summary>
    Task<int> RecordAnswerAsync(long roundId, GroupAnswer answer, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The round's answers, in the order they came.</summary>
    Task<IReadOnlyList<GroupAnswer>> AnswersAsync(long roundId, CancellationToken cancellationToken);

    /// <summary>Records that a member agrees to be quoted in the round's summary.</summary>
    Task ConsentToHighlightAsync(long roundId, string userKey, CancellationToken cancellationToken);

    /// <summary>
    /// Closes the round and stores its summary. Wrapping a wrapped round changes nothing and returns the stored summary,
    /// so a wrap delivered twice (a deadline reached while the facilitator typed "wrap") posts the same summary.
    /// </summary>
    Task<(GroupSummary Summary, bool JustWrapped)> WrapAsync(long roundId, CancellationToken cancellationToken);

    /// <summary>Open rounds whose deadline has passed.</summary>
    Task<IReadOnlyList<GroupRound>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Whether feedback in this conversation's rounds is posted in the thread rather than privately.</summary>
    Task<bool> IsFeedbackPublicAsync(string channel, string conversationId, CancellationToken cancellationToken);

    /// <summary>Sets where feedback in this conversation's rounds goes.</summary>
    Task SetFeedbackPublicAsync(string channel, string conversationId, bool isPublic, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a conversation's question-of-the-day schedule.</summary>
    Task SetScheduleAsync(GroupSchedule schedule, CancellationToken cancellationToken);

    /// <summary>A conversation's schedule, if any.</summary>
    Task<GroupSchedule?> GetScheduleAsync(string channel, string conversationId, CancellationToken cancellationToken);

    /// <summary>Removes a conversation's schedule; false when it had none.</summary>
    Task<bool> RemoveScheduleAsync(string channel, string conversationId, CancellationToken cancellationToken);

    /// <summary>Schedules whose next run has come.</summary>
    Task<IReadOnlyList<GroupSchedule>> DueSchedulesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves a schedule to <paramref name="nextRun"/>, if it is still at <paramref name="expected"/>; false when another worker moved it.</summary>
    Task<bool> AdvanceScheduleAsync(GroupSchedule schedule, DateTimeOffset expected, DateTimeOffset nextRun, CancellationToken cancellationToken);

    /// <summary>Removes a member's answers and quote consents from every round of the channel, and their name from stored summaries.</summary>
    Task<int> ForgetMemberAsync(string channel, string userKey, string userId, CancellationToken cancellationToken);
}
