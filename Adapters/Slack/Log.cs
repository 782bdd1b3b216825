using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack;

/// <summary>Every log line of the Slack adapter (event ids 6000–6999). Message text is never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Warning, "Slack request to {Path} refused: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string path, string reason);

    [LoggerMessage(6001, LogLevel.Information, "Slack turn {IdempotencyKey} queued ({Intent}, voice: {Voice})")]
    public static partial void TurnQueued(ILogger logger, string idempotencyKey, string intent, bool voice);

    [LoggerMessage(6002, LogLevel.Debug, "Slack turn {IdempotencyKey} was already queued; duplicate dropped")]
    public static partial void DuplicateTurn(ILogger logger, string idempotencyKey);

    [LoggerMessage(6003, LogLevel.Debug, "Slack event {EventId} ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, string eventId, string reason);

    [LoggerMessage(6004, LogLevel.Information, "Slack redelivered event {EventId} (retry {RetryNum})")]
    public static partial void EventRetried(ILogger logger, string eventId, string retryNum);

    [LoggerMessage(6005, LogLevel.Warning, "Could not check whether the bot is in the thread of {IdempotencyKey}; the message is not coached")]
    public static partial void ThreadCheckFailed(ILogger logger, Exception exception, string idempotencyKey);

    [LoggerMessage(6010, LogLevel.Warning, "Slack Web API {Method} failed: {Error}")]
    public static partial void ApiError(ILogger logger, string method, string error);

    [LoggerMessage(6011, LogLevel.Information, "Slack rate-limited {Method}; retry {Attempt} in {Seconds} s")]
    public static partial void RateLimited(ILogger logger, string method, double seconds, int attempt);

    [LoggerMessage(6012, LogLevel.Information, "Slack reply for {IdempotencyKey} sent with {Method} ({Kind})")]
    public static partial void ReplySent(ILogger logger, string idempotencyKey, string method, string kind);

    [LoggerMessage(6020, LogLevel.Warning, "Slack file download from {Host} refused: {Reason}")]
    public static partial void DownloadRefused(ILogger logger, string host, string reason);

    [LoggerMessage(6021, LogLevel.Debug, "Downloaded {Bytes} bytes from {Host}")]
    public static partial void Downloaded(ILogger logger, string host, long bytes);

    [LoggerMessage(6030, LogLevel.Information, "Socket Mode connected to {Host}")]
    public static partial void SocketConnected(ILogger logger, string host);

    [LoggerMessage(6031, LogLevel.Debug, "Socket Mode hello received")]
    public static partial void SocketHello(ILogger logger);

    [LoggerMessage(6032, LogLevel.Information, "Socket Mode: Slack asked to reconnect ({Reason})")]
    public static partial void SocketDisconnectRequested(ILogger logger, string reason);

    [LoggerMessage(6034, LogLevel.Information, "Socket Mode reconnecting in {Seconds} s (failure {Failures} in a row)")]
    public static partial void SocketReconnecting(ILogger logger, double seconds, int failures);

    [LoggerMessage(6035, LogLevel.Error, "Socket Mode stopped: {Reason}")]
    public static partial void SocketStopped(ILogger logger, string reason);

    [LoggerMessage(6037, LogLevel.Error, "Socket Mode stopped: Slack refused Slack:AppToken ({Error}). Use the app-level token (xapp-…, Basic Information → App-Level Tokens) with the connections:write scope; the bot token (xoxb-…) belongs in Slack:BotToken.")]
    public static partial void SocketTokenRefused(ILogger logger, string error);

    [LoggerMessage(6038, LogLevel.Warning, "Socket Mode connection failed: {Reason}")]
    public static partial void SocketFailedBriefly(ILogger logger, string reason);

    [LoggerMessage(6039, LogLevel.Debug, "Socket Mode connection failure in detail")]
    public static partial void SocketFailedInDetail(ILogger logger, Exception exception);

    [LoggerMessage(6060, LogLevel.Information, "Slack: Socket Mode (Slack:AppToken); no public URL needed")]
    public static partial void SlackSocketModeOn(ILogger logger);

    [LoggerMessage(6061, LogLevel.Information, "Slack: HTTP mode; /slack/events, /slack/commands and /slack/interactions are verified with Slack:SigningSecret")]
    public static partial void SlackHttpMode(ILogger logger);

    [LoggerMessage(6062, LogLevel.Information, "Slack: not configured (no Slack:SigningSecret or Slack:AppToken); every /slack request is refused")]
    public static partial void SlackNotConfigured(ILogger logger);

    [LoggerMessage(6063, LogLevel.Warning, "{Problem}")]
    public static partial void SlackTokenKind(ILogger logger, string problem);

    [LoggerMessage(6036, LogLevel.Warning, "Socket Mode envelope {EnvelopeId} could not be stored; left unacknowledged for Slack to resend")]
    public static partial void EnvelopeFailed(ILogger logger, Exception exception, string envelopeId);

    [LoggerMessage(6040, LogLevel.Warning, "Could not tell whether Slack user {User} is an admin; treated as a member")]
    public static partial void AdminCheckFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(6041, LogLevel.Information, "Slack round {RoundId} card posted; its thread is {ThreadTs}")]
    public static partial void RoundThreadAttached(ILogger logger, long roundId, string threadTs);

    [LoggerMessage(6042, LogLevel.Information, "Slack round {RoundId}: feedback could not be sent as a direct message ({Error}); sent as an ephemeral message in the thread")]
    public static partial void DirectMessageFailed(ILogger logger, long roundId, string error);

    [LoggerMessage(6043, LogLevel.Warning, "Slack round {RoundId} could not start: the bot is not in the channel; the round was closed")]
    public static partial void RoundNotInChannel(ILogger logger, long roundId);

    [LoggerMessage(6044, LogLevel.Information, "Slack group command in a direct message refused ({IdempotencyKey})")]
    public static partial void GroupInDirectMessage(ILogger logger, string idempotencyKey);

    [LoggerMessage(6045, LogLevel.Warning, "Could not answer a group command in a direct message ({IdempotencyKey})")]
    public static partial void GroupRefusalFailed(ILogger logger, Exception exception, string idempotencyKey);

    [LoggerMessage(6046, LogLevel.Warning, "The round's acknowledgement for {IdempotencyKey} could not be posted; the member's feedback was sent")]
    public static partial void AcknowledgementFailed(ILogger logger, Exception exception, string idempotencyKey);

    [LoggerMessage(6047, LogLevel.Information, "Slack article {ArticleId} sent privately to {User}")]
    public static partial void ArticleSent(ILogger logger, string articleId, string user);

    [LoggerMessage(6048, LogLevel.Warning, "Slack article {ArticleId} could not be sent to {User}")]
    public static partial void ArticleFailed(ILogger logger, Exception exception, string articleId, string user);

    [LoggerMessage(6049, LogLevel.Warning, "A post for {IdempotencyKey} ({Slot}) was cut off by a crash; found on Slack: {Found}")]
    public static partial void DeliveryInDoubt(ILogger logger, string idempotencyKey, string slot, bool found);

    [LoggerMessage(6050, LogLevel.Warning, "A post for {IdempotencyKey} ({Slot}) was cut off by a crash and Slack refused the look-up ({Error}); it is posted again")]
    public static partial void DeliveryLookupRefused(ILogger logger, string idempotencyKey, string slot, string error);
}
