using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Cards.Adaptive;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;

namespace CoachBot.Adapters.Teams;

/// <summary>The keys of a Teams turn's reply routing (<see cref="CoachingTurn.Reply"/>).</summary>
internal static class Routing
{
    public const string ServiceUrl = "serviceUrl";
    public const string ConversationId = "conversationId";
    public const string ConversationType = "conversationType";
    public const string TenantId = "tenantId";
    public const string ReplyToId = "replyToId";
    public const string PlaceholderId = "placeholderId";

    /// <summary>The bot's own id in the conversation (<c>28:</c> + app id), for proactive 1:1 chats and mentions.</summary>
    public const string BotId = "botId";

    /// <summary>The team's thread id (<c>channelData.team.id</c>), for asking the connector for the team's details.</summary>
    public const string TeamId = "teamId";

    /// <summary>The team's Microsoft Entra group id (<c>channelData.team.aadGroupId</c>): Microsoft Graph's team id.</summary>
    public const string TeamGroupId = "teamGroupId";

    /// <summary>The sender's display name, for mentioning them.</summary>
    public const string UserName = TurnRouting.SenderPrefix + "name";
}

/// <summary>
/// The one place where a Teams activity becomes a coaching turn (or is ignored, with the reason). In channels and
/// group chats the bot reacts when @mentioned, and (decided by the endpoint, which looks rounds up) to every message
/// of a group round's thread. A channel thread's conversation id (<c>19:…;messageid=ROOT</c>) becomes the channel id
/// as the turn's conversation and the root message id as its thread.
/// </summary>
internal static partial class ActivityTurns
{
    /// <summary>The card verbs a button may send (Action.Submit data or Action.Execute verb).</summary>
    private static readonly HashSet<string> CardActionVerbs = new(StringComparer.Ordinal)
    {
        CardVerbs.Start, CardVerbs.Next, CardVerbs.Retry, CardVerbs.Hint, CardVerbs.ForgetConfirm,
        CardVerbs.MockStart, CardVerbs.MockStartPlan, CardVerbs.PlanRegenerate, CardVerbs.PlanSkip,
    };

    private static readonly Dictionary<string, string> AudioTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["m4a"] = "audio/mp4", ["mp4"] = "audio/mp4", ["aac"] = "audio/aac", ["mp3"] = "audio/mpeg", ["wav"] = "audio/wav",
        ["ogg"] = "audio/ogg", ["oga"] = "audio/ogg", ["opus"] = "audio/ogg", ["webm"] = "audio/webm", ["flac"] = "audio/flac",
    };

    public static bool IsPersonal(Activity activity) =>
        activity.Conversation?.ConversationType is null or "personal";

    /// <summary>
    /// Maps a message activity: typed answer, command, card button (Action.Submit) or audio file. In a shared
    /// conversation a message without an @mention of the bot is ignored unless <paramref name="requireMention"/> is
    /// false (the endpoint then decides whether it belongs to a round).
    /// </summary>
    public static CoachingTurn? FromMessage(Activity activity, DateTimeOffset receivedAt, out string ignored, bool requireMention = true)
    {
        if (Base(activity, receivedAt, out ignored) is not { } basics)
        {
            return null;
        }

        if (activity.From!.Id == activity.Recipient?.Id)
        {
            ignored = "sent by the bot itself";
            return null;
        }

        // Action.Submit arrives as a message whose value carries the verb.
        if (activity.Value is { ValueKind: JsonValueKind.Object } value && Text(value, CardVerbs.Field) is { } submitted)
        {
            if (!CardActionVerbs.Contains(submitted))
            {
                ignored = $"unknown card verb {submitted}";
                return null;
            }

            return basics with { Intent = TurnIntent.CardAction, Action = submitted, QuestionId = Text(value, CardVerbs.QuestionField) };
        }

        if (requireMention && !IsPersonal(activity) && !MentionsBot(activity))
        {
            ignored = "not addressed to the bot in a shared conversation";
            return null;
        }

        // Attachment content is whatever the sender put there: read it only as strings, never assume its shape.
        if (IsPersonal(activity) && activity.Attachments?.FirstOrDefault(a => a.ContentType == Attachment.FileDownloadInfoType) is { } file
            && StringIn(file.Content, "downloadUrl") is { Length: > 0 } downloadUrl)
        {
            var fileType = StringIn(file.Content, "fileType") ?? Path.GetExtension(file.Name ?? string.Empty).TrimStart('.');
            if (!AudioTypes.ContainsKey(fileType))
            {
                // Any other file in the personal chat is a document for an interview plan (a résumé, a job description).
                var said = CleanText(activity.Text);
                return basics with
                {
                    Intent = TurnIntent.Command,
                    Text = said.Length == 0 ? null : said,
                    Document = new AudioReference(downloadUrl, null, file.Name, null),
                };
            }

            return basics with
            {
                Intent = TurnIntent.Answer,
                Audio = new AudioReference(downloadUrl, AudioTypes.GetValueOrDefault(fileType, "application/octet-stream"), file.Name, null),
            };
        }

        var text = CleanText(activity.Text);
        if (text.Length == 0)
        {
            ignored = "no text, file or card action";
            return null;
        }

        return basics with { Intent = ChatCommands.IsCommand(text) ? TurnIntent.Command : TurnIntent.Answer, Text = text };
    }

    /// <summary>Maps an <c>adaptiveCard/action</c> invoke (Action.Execute).</summary>
    public static CoachingTurn? FromCardAction(Activity activity, DateTimeOffset receivedAt, out string ignored)
    {
        if (Base(activity, receivedAt, out ignored) is not { } basics)
        {
            return null;
        }

        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            ignored = "the invoke holds no action";
            return null;
        }

        var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var verb = Text(action, "verb") ?? (data.ValueKind == JsonValueKind.Object ? Text(data, CardVerbs.Field) : null);
        if (verb is null || !CardActionVerbs.Contains(verb))
        {
            ignored = $"unknown card verb {verb}";
            return null;
        }

        return basics with
        {
            Intent = TurnIntent.CardAction,
            Action = verb,
            QuestionId = data.ValueKind == JsonValueKind.Object ? Text(data, CardVerbs.QuestionField) : null,
        };
    }

    /// <summary>The question id a <c>task/fetch</c> invoke's data names, if any.</summary>
    public static string? TaskQuestionId(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? Text(data, CardVerbs.QuestionField)
            : null;

    public static Dictionary<string, string> RouteOf(Activity activity)
    {
        var route = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Routing.ServiceUrl] = activity.ServiceUrl!,
            [Routing.ConversationId] = activity.Conversation!.Id!,
            [Routing.ConversationType] = activity.Conversation.ConversationType ?? "personal",
        };
        if (TenantOf(activity) is { } tenant)
        {
            route[Routing.TenantId] = tenant;
        }

        if (activity.Recipient?.Id is { Length: > 0 } bot)
        {
            route[Routing.BotId] = bot;
        }

        if (activity.From?.Name is { Length: > 0 } name)
        {
            route[Routing.UserName] = name;
        }

        if (activity.ChannelData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("team", out var team) && team.ValueKind == JsonValueKind.Object)
        {
            if (Text(team, "id") is { Length: > 0 } teamId)
            {
                route[Routing.TeamId] = teamId;
            }

            if (Text(team, "aadGroupId") is { Length: > 0 } group)
            {
                route[Routing.TeamGroupId] = group;
            }
        }

        return route;
    }

    public static string? TenantOf(Activity activity)
    {
        if (activity.Conversation?.TenantId is { Length: > 0 } tenant)
        {
            return tenant;
        }

        return activity.ChannelData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.Object
            ? Text(t, "id")
            : null;
    }

    /// <summary>The text without @mentions, markup entities decoded, trimmed.</summary>
    public static string CleanText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var stripped = MentionMarkup().Replace(text, " ");
        return WebUtility.HtmlDecode(stripped).Replace('\u00a0', ' ').Trim();
    }

    /// <summary>The channel (or chat) id without a thread's <c>;messageid=</c> suffix.</summary>
    public static string ConversationOf(string conversationId) =>
        conversationId.IndexOf(ThreadMarker, StringComparison.Ordinal) is var at and >= 0 ? conversationId[..at] : conversationId;

    /// <summary>The root message id of a channel thread's conversation id, if it names one.</summary>
    public static string? ThreadOf(string conversationId) =>
        conversationId.IndexOf(ThreadMarker, StringComparison.Ordinal) is var at and >= 0 ? conversationId[(at + ThreadMarker.Length)..] : null;

    /// <summary>The conversation id that posts into a channel thread.</summary>
    public static string ThreadConversation(string channelId, string rootId) => channelId + ThreadMarker + rootId;

    private const string ThreadMarker = ";messageid=";

    public static bool MentionsBot(Activity activity) =>
        activity.Entities?.Any(e => e.Type == "mention" && e.Mentioned?.Id is { } id && id == activity.Recipient?.Id) == true;

    private static CoachingTurn? Base(Activity activity, DateTimeOffset receivedAt, out string ignored)
    {
        if (activity.Id is not { Length: > 0 } || activity.From?.Id is not { Length: > 0 } || activity.Conversation?.Id is not { Length: > 0 }
            || activity.ServiceUrl is not { Length: > 0 })
        {
            ignored = "missing id, sender, conversation or service URL";
            return null;
        }

        ignored = string.Empty;
        var route = RouteOf(activity);
        route[Routing.ReplyToId] = activity.Id;
        var conversation = activity.Conversation.Id;
        return new CoachingTurn
        {
            Channel = TeamsChannel.Name,
            TenantId = TenantOf(activity),
            UserId = activity.From.Id,
            ConversationId = ConversationOf(conversation),
            ThreadId = ThreadOf(conversation),
            IsDirect = IsPersonal(activity),
            Intent = TurnIntent.Answer,
            // Activity ids are unique within a conversation, so the key names both.
            IdempotencyKey = $"teams:{conversation}:{activity.Id}",
            ReceivedAt = receivedAt,
            Reply = route,
        };
    }

    private static string? StringIn(System.Text.Json.Nodes.JsonNode? content, string name) =>
        content is System.Text.Json.Nodes.JsonObject obj && obj[name] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("<at[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline, 1000)]
    private static partial Regex MentionMarkup();
}
