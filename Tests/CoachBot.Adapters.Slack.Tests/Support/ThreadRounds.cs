using System.Collections.Concurrent;
using CoachBot.Coaching.Groups;

namespace CoachBot.Adapters.Slack.Tests.Support;

/// <summary>
/// Group rounds for the adapter's own tests: only finding a round by its thread, which is all the inbound side asks.
/// Everything else belongs to the host's end-to-end tests over the real database and fails loudly here.
/// </summary>
public sealed class ThreadRounds : IGroupRounds
{
    private readonly ConcurrentDictionary<string, GroupRound> _byThread = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="threadTs"/> in <paramref name="channel"/> the thread of a round facilitated by <paramref name="facilitator"/>.</summary>
    public GroupRound Add(string channel, string threadTs, string facilitator, long id = 1)
    {
        var round = new GroupRound
        {
            Id = id, Channel = "slack", ConversationId = channel, ThreadId = threadTs, FacilitatorId = facilitator, Role = "general",
            QuestionIds = ["gen-001"], CurrentIndex = 0, Wrapped = false, Deadline = DateTimeOffset.UtcNow.AddHours(1), Reminded = false,
            Routing = new Dictionary<string, string>(),
        };
        _byThread[channel + "/" + threadTs] = round;
        return round;
    }

    public Task<GroupRound?> FindByThreadAsync(string channel, string conversationId, string threadId, CancellationToken cancellationToken) =>
        Task.FromResult(channel == "slack" ? _byThread.GetValueOrDefault(conversationId + "/" + threadId) : null);

    public Task<GroupRound?> FindOpenAsync(string channel, string conversationId, CancellationToken cancellationToken) => Task.FromResult<GroupRound?>(null);

    public Task<GroupRound> StartAsync(NewGroupRound round, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AttachThreadAsync(long roundId, string threadId, IReadOnlyDictionary<string, string>? routing, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<GroupRound?> GetAsync(long roundId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<GroupRound?> AdvanceAsync(long roundId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> MarkRemindedAsync(long roundId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> RecordAnswerAsync(long roundId, GroupAnswer answer, string idempotencyKey, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<GroupAnswer>> AnswersAsync(long roundId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ConsentToHighlightAsync(long roundId, string userKey, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<(GroupSummary Summary, bool JustWrapped)> WrapAsync(long roundId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<GroupRound>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> IsFeedbackPublicAsync(string channel, string conversationId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetFeedbackPublicAsync(string channel, string conversationId, bool isPublic, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetScheduleAsync(GroupSchedule schedule, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<GroupSchedule?> GetScheduleAsync(string channel, string conversationId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> RemoveScheduleAsync(string channel, string conversationId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<GroupSchedule>> DueSchedulesAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> AdvanceScheduleAsync(GroupSchedule schedule, DateTimeOffset expected, DateTimeOffset nextRun, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> ForgetMemberAsync(string channel, string userKey, string userId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
