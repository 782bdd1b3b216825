using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CoachBot.Adapters.Teams.Protocol;

/// <summary>
/// The part of a Bot Framework activity the adapter uses. Unknown fields are ignored on read (System.Text.Json's
/// default) and null fields are left out on write.
/// </summary>
internal sealed record Activity
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Action { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    public ChannelAccount? From { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public string? TextFormat { get; init; }

    public string? Text { get; init; }

    public string? Summary { get; init; }

    public string? ReplyToId { get; init; }

    public string? AttachmentLayout { get; init; }

    public IReadOnlyList<Attachment>? Attachments { get; init; }

    public IReadOnlyList<Entity>? Entities { get; init; }

    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }

    public JsonElement? Value { get; init; }

    public JsonElement? ChannelData { get; init; }

    /// <summary>A message activity carrying one Adaptive Card.</summary>
    public static Activity CardMessage(JsonObject card, string summary) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [new Attachment { ContentType = Attachment.AdaptiveCardType, Content = card }],
    };
}

internal static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string Typing = "typing";
}

internal sealed record ChannelAccount
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadObjectId { get; init; }
}

internal sealed record ConversationAccount
{
    public string? Id { get; init; }

    /// <summary>personal, groupChat or channel.</summary>
    public string? ConversationType { get; init; }

    public string? TenantId { get; init; }

    public bool? IsGroup { get; init; }
}

internal sealed record Attachment
{
    public const string AdaptiveCardType = "application/vnd.microsoft.card.adaptive";
    public const string FileDownloadInfoType = "application/vnd.microsoft.teams.file.download.info";

    public string? ContentType { get; init; }

    public string? ContentUrl { get; init; }

    public string? Name { get; init; }

    public JsonNode? Content { get; init; }
}

internal sealed record Entity
{
    public string? Type { get; init; }

    public ChannelAccount? Mentioned { get; init; }

    public string? Text { get; init; }
}

/// <summary>The body of <c>POST /v3/conversations</c> (a proactive conversation).</summary>
internal sealed record ConversationParameters
{
    public bool IsGroup { get; init; }

    public ChannelAccount? Bot { get; init; }

    public IReadOnlyList<ChannelAccount>? Members { get; init; }

    public string? TenantId { get; init; }

    public Activity? Activity { get; init; }

    public JsonObject? ChannelData { get; init; }
}

/// <summary>What <c>GET /v3/teams/{id}</c> answers.</summary>
internal sealed record TeamDetails
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadGroupId { get; init; }
}

/// <summary>What the connector answers to a send or create call.</summary>
internal sealed record ResourceResponse
{
    public string? Id { get; init; }

    public string? ActivityId { get; init; }
}

/// <summary>The body of a connector error: <c>{ "error": { "code", "message" } }</c>.</summary>
internal sealed record ErrorResponse
{
    public ErrorBody? Error { get; init; }
}

internal sealed record ErrorBody
{
    public string? Code { get; init; }

    public string? Message { get; init; }
}

internal static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
