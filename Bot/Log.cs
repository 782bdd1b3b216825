namespace CoachBot.Bot;

/// <summary>Every log line of the bot host.</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "Recovered {Count} turns left running by a previous process")]
    public static partial void TurnsRecovered(ILogger logger, int count);

    [LoggerMessage(2001, LogLevel.Information, "Turn {TurnId} on {Channel} answered with a {Kind} reply (attempt {Attempt})")]
    public static partial void TurnCompleted(ILogger logger, long turnId, string channel, string kind, int attempt);

    [LoggerMessage(2002, LogLevel.Information, "Turn {TurnId} released for the next start")]
    public static partial void TurnReleased(ILogger logger, long turnId);

    [LoggerMessage(2003, LogLevel.Warning, "Turn {TurnId} failed on attempt {Attempt}; retry: {WillRetry}")]
    public static partial void TurnFailed(ILogger logger, Exception? exception, long turnId, int attempt, bool willRetry);

    [LoggerMessage(2004, LogLevel.Error, "Turn {TurnId} is for channel {Channel}, which has no replier registered")]
    public static partial void NoReplier(ILogger logger, long turnId, string channel);

    [LoggerMessage(2007, LogLevel.Debug, "Cleared the answers of {Count} turns finished more than {Days} days ago")]
    public static partial void TurnsCleared(ILogger logger, int count, int days);

    [LoggerMessage(2006, LogLevel.Error, "The turn worker hit an error outside a turn ({Failures} in a row); it keeps running")]
    public static partial void WorkerLoopFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(2005, LogLevel.Warning, "Could not tell the user on {Channel} that their turn failed")]
    public static partial void FailureNotSent(ILogger logger, Exception exception, string channel);

    [LoggerMessage(2020, LogLevel.Information, "CoachBot is ready: open {Address} to practise in the browser (GET /healthz for health)")]
    public static partial void HostReadyWithDevChat(ILogger logger, string address);

    [LoggerMessage(2021, LogLevel.Information, "CoachBot is ready on {Address} (GET /healthz for health; Slack posts to /slack/events, Teams to /api/messages)")]
    public static partial void HostReady(ILogger logger, string address);

    [LoggerMessage(2100, LogLevel.Information, "Dev chat: {Intent} turn {TurnKey} accepted")]
    public static partial void DevTurnAccepted(ILogger logger, string intent, string turnKey);

    [LoggerMessage(2101, LogLevel.Trace, "Dev chat: turn {TurnKey} says {Text}")]
    public static partial void DevTurnText(ILogger logger, string turnKey, string text);

    [LoggerMessage(2112, LogLevel.Warning, "Dev chat: a stream could not read its conversation and was closed; the browser reconnects")]
    public static partial void DevStreamFailed(ILogger logger, Exception exception);

    [LoggerMessage(2102, LogLevel.Information, "Dev chat: refused a request from {Remote} with {Status}")]
    public static partial void DevAccessRefused(ILogger logger, string? remote, int status);

    [LoggerMessage(2103, LogLevel.Warning, "Dev chat: the Adaptive Cards renderer was not bundled into this build; cards show as text. Run `bash scripts/prerequisites.sh` and rebuild.")]
    public static partial void DevRendererMissing(ILogger logger);

    [LoggerMessage(2110, LogLevel.Information, "Recording of {Bytes} bytes for channel {Channel} queued as {TurnKey}")]
    public static partial void RecordingQueued(ILogger logger, long bytes, string channel, string turnKey);

    [LoggerMessage(2111, LogLevel.Information, "Recording upload refused: {Code}")]
    public static partial void RecordingRefused(ILogger logger, string code);

    [LoggerMessage(2010, LogLevel.Information, "Group round {RoundId} on {Channel} reached its deadline; wrapping it up")]
    public static partial void RoundDeadlineReached(ILogger logger, long roundId, string channel);

    [LoggerMessage(2011, LogLevel.Information, "Question of the day started in {Channel} conversation {ConversationId}; next run {NextRun}")]
    public static partial void QuestionOfTheDay(ILogger logger, string channel, string conversationId, DateTimeOffset nextRun);

    [LoggerMessage(2012, LogLevel.Warning, "Checking group deadlines and schedules failed; retrying at the next check")]
    public static partial void GroupCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(2013, LogLevel.Information, "Group scheduler lease held by this instance ({Owner}): {Holding}")]
    public static partial void SchedulerLease(ILogger logger, string owner, bool holding);
}
