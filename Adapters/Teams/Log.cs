using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Teams;

/// <summary>Every log line of the Teams adapter (event ids 7000–7999). Message text only at Trace.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Warning, "Teams request refused with {StatusCode}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(7001, LogLevel.Information, "Fetched {Count} Bot Framework signing keys")]
    public static partial void KeysRefreshed(ILogger logger, int count);

    [LoggerMessage(7002, LogLevel.Warning, "The Bot Framework signing keys could not be fetched; the keys already known stay in use")]
    public static partial void KeysUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(7003, LogLevel.Debug, "Fetched a Bot Framework token valid for {Seconds} s")]
    public static partial void TokenFetched(ILogger logger, int seconds);

    [LoggerMessage(7004, LogLevel.Error, "The token endpoint refused the bot's credentials ({StatusCode})")]
    public static partial void TokenRefused(ILogger logger, int statusCode);

    [LoggerMessage(7005, LogLevel.Warning, "Connector call retried (attempt {Attempt}, status {StatusCode})")]
    public static partial void ConnectorRetry(ILogger logger, int attempt, int statusCode);

    [LoggerMessage(7006, LogLevel.Warning, "Connector {Method} failed with {StatusCode}")]
    public static partial void ConnectorFailed(ILogger logger, string method, int statusCode);

    [LoggerMessage(7007, LogLevel.Error, "Refused to send the bot's token to the untrusted service URL {ServiceUrl}")]
    public static partial void UntrustedServiceUrl(ILogger logger, string serviceUrl);

    [LoggerMessage(7008, LogLevel.Warning, "Refused to download a Teams file from {Host} (not in Teams:DownloadHosts)")]
    public static partial void DownloadRefused(ILogger logger, string host);

    [LoggerMessage(7009, LogLevel.Debug, "Teams {Type} activity {ActivityId} ignored: {Reason}")]
    public static partial void ActivityIgnored(ILogger logger, string type, string activityId, string reason);

    [LoggerMessage(7010, LogLevel.Information, "Teams activity {ActivityId} queued as a {Intent} turn")]
    public static partial void TurnQueued(ILogger logger, string activityId, string intent);

    [LoggerMessage(7011, LogLevel.Information, "Teams activity {ActivityId} was already received; not queued again")]
    public static partial void DuplicateActivity(ILogger logger, string activityId);

    [LoggerMessage(7012, LogLevel.Trace, "Teams message text: {Text}")]
    public static partial void MessageText(ILogger logger, string text);

    [LoggerMessage(7013, LogLevel.Warning, "The Teams welcome card could not be posted")]
    public static partial void WelcomeFailed(ILogger logger, Exception exception);

    [LoggerMessage(7014, LogLevel.Warning, "The Teams placeholder {PlaceholderId} could not be updated ({Status}); the reply is posted as a new message")]
    public static partial void PlaceholderUpdateFailed(ILogger logger, string placeholderId, int status);

    [LoggerMessage(7015, LogLevel.Warning, "The card action {Verb} took longer than {Seconds} s")]
    public static partial void CardActionTimedOut(ILogger logger, string verb, int seconds);

    [LoggerMessage(7017, LogLevel.Error, "The card action {Verb} failed")]
    public static partial void CardActionFailed(ILogger logger, Exception exception, string verb);

    [LoggerMessage(7036, LogLevel.Information, "Teams is not configured (no Teams:AppId): /api/messages refuses every request (local development mode only runs in the Development environment)")]
    public static partial void TeamsNotConfigured(ILogger logger);

    [LoggerMessage(7016, LogLevel.Warning, "Teams runs in local development mode (no Teams:AppId): only requests from this machine are accepted and no outbound token is used")]
    public static partial void DevelopmentMode(ILogger logger);

    [LoggerMessage(7018, LogLevel.Information, "Group round {RoundId} posted in the {Where}; its thread is attached")]
    public static partial void RoundPosted(ILogger logger, long roundId, string where);

    [LoggerMessage(7019, LogLevel.Information, "Teams refused a 1:1 chat for feedback in round {RoundId} ({Status} {Code}); the feedback is kept until the member installs CoachBot")]
    public static partial void PrivateChatRefused(ILogger logger, long roundId, int status, string code);

    [LoggerMessage(7020, LogLevel.Warning, "The conversation's members could not be read ({Status}); the message names no one")]
    public static partial void MembersUnavailable(ILogger logger, int status);

    [LoggerMessage(7021, LogLevel.Information, "Sent {Count} kept round feedback messages to a member who installed CoachBot")]
    public static partial void PendingFeedbackSent(ILogger logger, int count);

    [LoggerMessage(7022, LogLevel.Warning, "Kept round feedback could not be sent after a personal install")]
    public static partial void PendingFeedbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(7023, LogLevel.Warning, "The round's acknowledgement for {IdempotencyKey} could not be posted; the member's feedback was sent")]
    public static partial void AcknowledgementFailed(ILogger logger, Exception exception, string idempotencyKey);

    [LoggerMessage(7031, LogLevel.Warning, "Teams: Teams:TenantId is not set for bot {AppId}. It is required for the single-tenant registrations Azure creates since 2025-07-31 (set it to your Microsoft Entra tenant id; user-assigned managed identity registrations are not supported by this host); without it tokens come from the multi-tenant botframework.com endpoint, which only an older multi-tenant registration accepts")]
    public static partial void TeamsTenantMissing(ILogger logger, string appId);

    [LoggerMessage(7032, LogLevel.Information, "Teams: bot {AppId}, single-tenant in tenant {TenantId}")]
    public static partial void TeamsSingleTenant(ILogger logger, string appId, string tenantId);

    [LoggerMessage(7033, LogLevel.Warning, "Teams: a post for {IdempotencyKey} ({Slot}) was cut off {Cause} and cannot be looked up, so it is posted again: {Reason}")]
    public static partial void DeliveryInDoubt(ILogger logger, string idempotencyKey, string slot, string cause, string reason);

    [LoggerMessage(7038, LogLevel.Information, "Teams: a post for {IdempotencyKey} ({Slot}) was cut off {Cause}; found in Microsoft Graph ({Pages} page(s) read), so it is kept (and updated), not posted again")]
    public static partial void CutOffPostFound(ILogger logger, string idempotencyKey, string slot, string cause, int pages);

    [LoggerMessage(7039, LogLevel.Information, "Teams: a post for {IdempotencyKey} ({Slot}) was cut off {Cause}; Microsoft Graph does not have it ({Pages} page(s) read), so it is posted")]
    public static partial void CutOffPostNotFound(ILogger logger, string idempotencyKey, string slot, string cause, int pages);

    [LoggerMessage(7034, LogLevel.Debug, "Deleted {Count} kept Teams feedback older than {Days} days")]
    public static partial void PendingFeedbackExpired(ILogger logger, int count, int days);

    [LoggerMessage(7035, LogLevel.Warning, "Could not delete expired kept Teams feedback; trying again later")]
    public static partial void PendingFeedbackSweepFailed(ILogger logger, Exception exception);
}
