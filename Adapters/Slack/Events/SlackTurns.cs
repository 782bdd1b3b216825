using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Adapters.Slack.Rendering;

namespace CoachBot.Adapters.Slack.Events;

/// <summary>What to do with an event.</summary>
internal enum EventDecision
{
    /// <summary>Coach it.</summary>
    Turn,

    /// <summary>Coach it only if the bot takes part in the thread (a channel thread reply without a mention).</summary>
    TurnIfBotThread,

    /// <summary>Not for the bot.</summary>
    Ignore,
}

/// <summary>An event's mapping: the decision, the turn (unless ignored) and why.</summary>
internal sealed record MappedEvent(EventDecision Decision, CoachingTurn? Turn, string Reason)
{
    public static MappedEvent Ignore(string reason) => new(EventDecision.Ignore, null, reason);
}

/// <summary>
/// The one place where Slack payloads (Events API callbacks, slash commands, block actions) become channel-neutral
/// turns, with the routing to answer them in <see cref="CoachingTurn.Reply"/>. HTTP and Socket Mode both use it.
/// </summary>
internal static partial class SlackTurns
{
    /// <summary>The block action ids of the reply buttons, and the card action each one stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> ButtonActions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [BlockKitRenderer.ActionNext] = "next",
        [BlockKitRenderer.ActionRetry] = "retry",
        [BlockKitRenderer.ActionHint] = "hint",
        [BlockKitRenderer.ActionForgetConfirm] = "forget confirm",
        [BlockKitRenderer.ActionMockStart] = "mock start",
        [BlockKitRenderer.ActionMockStartPlan] = "mock start plan",
        [BlockKitRenderer.ActionPlanRegenerate] = "plan regenerate",
        [BlockKitRenderer.ActionPlanSkip] = "plan skip",
    };

    // Message subtypes that are a person's own words; everything else (bot_message, message_changed, channel_join...) is not.
    private static readonly HashSet<string> UserSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast" };

    /// <summary>Maps an Events API <c>event_callback</c> body (the same over HTTP and Socket Mode).</summary>
    public static MappedEvent FromEventCallback(JsonElement body, DateTimeOffset receivedAt)
    {
        if (Str(body, "type") != "event_callback" || !body.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object)
        {
            return MappedEvent.Ignore("not an event callback");
        }

        var team = Str(body, "team_id") ?? Str(e, "team");
        var botUser = BotUserId(body);
        var type = Str(e, "type");
        if (type == "app_home_opened")
        {
            return Welcome(e, team, receivedAt);
        }

        if (type is not ("message" or "app_mention"))
        {
            return MappedEvent.Ignore($"event type {type}");
        }

        var subtype = Str(e, "subtype");
        var user = Str(e, "user");
        var channel = Str(e, "channel");
        var ts = Str(e, "ts");
        if (subtype is not null && !UserSubtypes.Contains(subtype))
        {
            return MappedEvent.Ignore($"message subtype {subtype}");
        }

        if (Str(e, "bot_id") is not null || Has(e, "bot_profile") || user is null || (botUser is not null && user == botUser))
        {
            return MappedEvent.Ignore("a bot's message");
        }

        if (channel is null || ts is null)
        {
            return MappedEvent.Ignore("no channel or timestamp");
        }

        var threadTs = Str(e, "thread_ts");
        var rawText = Str(e, "text") ?? string.Empty;
        var mentionsBot = type == "app_mention" || (botUser is not null && rawText.Contains($"<@{botUser}>", StringComparison.Ordinal));
        var channelType = Str(e, "channel_type");
        var isDirect = channelType == "im" || (channelType is null && channel.StartsWith('D'));
        EventDecision decision;
        if (type == "app_mention" || isDirect || mentionsBot)
        {
            decision = EventDecision.Turn;
        }
        else if (threadTs is not null && threadTs != ts)
        {
            decision = EventDecision.TurnIfBotThread;
        }
        else
        {
            return MappedEvent.Ignore("a channel message that is not for the bot");
        }

        var text = Mrkdwn.Unescape(StripMentions(rawText, botUser, type == "app_mention")).Trim();
        var audio = AudioOf(e);

        // A document (a résumé, a job description) is read only in the direct chat, for an interview plan.
        var document = audio is null && isDirect ? DocumentOf(e) : null;
        var isCommand = audio is null && document is null && ChatCommands.IsCommand(text);

        // A round starts with a top-level card in the channel (its thread is the round), so a group command's
        // placeholder, which becomes that card, is not posted in the thread of the message that asked for it.
        var replyThread = isCommand && !isDirect && IsGroupCommand(text) ? null : threadTs ?? ts;
        var turn = new CoachingTurn
        {
            Channel = SlackChannel.Name,
            TenantId = team,
            UserId = user,
            ConversationId = channel,
            ThreadId = threadTs ?? ts,
            IsDirect = isDirect,
            Intent = audio is not null ? TurnIntent.Answer : document is not null || isCommand || text.Length == 0 ? TurnIntent.Command : TurnIntent.Answer,
            Text = audio is null && document is null && text.Length == 0 ? "help" : text.Length == 0 ? null : text,
            Audio = audio,
            Document = document,
            // The message itself is the key: Slack's retries, and the app_mention and message events that one
            // mention produces, all map to one turn.
            IdempotencyKey = $"slack:{team}:{channel}:{ts}",
            ReceivedAt = receivedAt,
            Reply = Route(channel, replyThread, user, "message"),
        };
        return new MappedEvent(decision, turn, type!);
    }

    /// <summary>
    /// The first time someone opens the bot's Messages tab, the bot introduces itself there. The key names only the
    /// workspace and the user, and the queue keeps every turn's key, so later visits are duplicates and say nothing.
    /// </summary>
    private static MappedEvent Welcome(JsonElement e, string? team, DateTimeOffset receivedAt)
    {
        var user = Str(e, "user");
        var channel = Str(e, "channel");
        if (Str(e, "tab") != "messages" || user is null || channel is null)
        {
            return MappedEvent.Ignore("app home opened, not its messages tab");
        }

        return new MappedEvent(EventDecision.Turn, new CoachingTurn
        {
            Channel = SlackChannel.Name,
            TenantId = team,
            UserId = user,
            ConversationId = channel,
            IsDirect = true,
            Intent = TurnIntent.Command,
            Text = "help",
            IdempotencyKey = $"slack:{team}:welcome:{user}",
            ReceivedAt = receivedAt,
            Reply = Route(channel, null, user, "welcome"),
        }, "app_home_opened");
    }

    /// <summary>Maps a slash command (<c>/coach next</c>); the text after the command is the chat command, <c>help</c> when empty.</summary>
    public static CoachingTurn? FromCommand(IReadOnlyDictionary<string, string> form, DateTimeOffset receivedAt)
    {
        if (!form.TryGetValue("user_id", out var user) || !form.TryGetValue("channel_id", out var channel)
            || string.IsNullOrEmpty(user) || string.IsNullOrEmpty(channel))
        {
            return null;
        }

        form.TryGetValue("team_id", out var team);
        var text = Mrkdwn.Unescape(form.GetValueOrDefault("text")).Trim();
        var id = form.GetValueOrDefault("trigger_id") is { Length: > 0 } trigger
            ? trigger
            : receivedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return new CoachingTurn
        {
            Channel = SlackChannel.Name,
            TenantId = team,
            UserId = user,
            ConversationId = channel,
            Intent = TurnIntent.Command,
            Text = text.Length == 0 ? "help" : text,
            IdempotencyKey = $"slack:{team}:command:{id}",
            ReceivedAt = receivedAt,
            Reply = Route(channel, null, user, "command"),
        };
    }

    /// <summary>
    /// A press of an article pointer's "Read" button (<see cref="BlockKitRenderer.ActionArticle"/>): who pressed it, where,
    /// and the article's id; null for anything else.
    /// </summary>
    public static ArticleRequest? ArticleRequestOf(JsonElement payload)
    {
        if (Str(payload, "type") != "block_actions" || !payload.TryGetProperty("actions", out var actions)
            || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0
            || Str(actions[0], "action_id") != BlockKitRenderer.ActionArticle || Str(actions[0], "value") is not { Length: > 0 } id)
        {
            return null;
        }

        var user = payload.TryGetProperty("user", out var u) ? Str(u, "id") : null;
        var channel = payload.TryGetProperty("channel", out var c) ? Str(c, "id") : null;
        string? threadTs = null;
        if (payload.TryGetProperty("container", out var container))
        {
            channel ??= Str(container, "channel_id");
            threadTs = Str(container, "thread_ts");
        }

        if (threadTs is null && payload.TryGetProperty("message", out var message))
        {
            threadTs = Str(message, "thread_ts");
        }

        return user is null || channel is null ? null : new ArticleRequest(user, channel, threadTs, id);
    }

    /// <summary>Maps a <c>block_actions</c> payload from one of the reply's buttons; anything else is null.</summary>
    public static CoachingTurn? FromInteraction(JsonElement payload, DateTimeOffset receivedAt)
    {
        if (Str(payload, "type") != "block_actions" || !payload.TryGetProperty("actions", out var actions)
            || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0)
        {
            return null;
        }

        var pressed = actions[0];
        if (Str(pressed, "action_id") is not { } actionId || !ButtonActions.TryGetValue(actionId, out var action))
        {
            return null;
        }

        var user = payload.TryGetProperty("user", out var u) ? Str(u, "id") : null;
        var team = payload.TryGetProperty("team", out var t) ? Str(t, "id") : null;
        team ??= payload.TryGetProperty("user", out u) ? Str(u, "team_id") : null;
        var channel = payload.TryGetProperty("channel", out var c) ? Str(c, "id") : null;
        string? messageTs = null, threadTs = null;
        if (payload.TryGetProperty("container", out var container))
        {
            channel ??= Str(container, "channel_id");
            messageTs = Str(container, "message_ts");
            threadTs = Str(container, "thread_ts");
        }

        if (payload.TryGetProperty("message", out var message))
        {
            messageTs ??= Str(message, "ts");
            threadTs ??= Str(message, "thread_ts");
        }

        if (user is null || channel is null)
        {
            return null;
        }

        var value = Str(pressed, "value");
        var actionTs = Str(pressed, "action_ts") ?? receivedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return new CoachingTurn
        {
            Channel = SlackChannel.Name,
            TenantId = team,
            UserId = user,
            ConversationId = channel,
            ThreadId = threadTs ?? messageTs,
            Intent = TurnIntent.CardAction,
            Action = action,
            QuestionId = string.IsNullOrEmpty(value) ? null : value,
            IdempotencyKey = $"slack:{team}:action:{channel}:{messageTs}:{user}:{actionId}:{actionTs}",
            ReceivedAt = receivedAt,
            Reply = Route(channel, threadTs ?? messageTs, user, "action"),
        };
    }


    /// <summary>Whether a command is one of the group commands (<c>group …</c>).</summary>
    public static bool IsGroupCommand(string? text) =>
        ChatCommands.IsCommand(text) && text!.Trim().TrimStart('/').Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].Equals("group", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a group command depends on the sender being an admin (changing the channel's feedback or schedule).</summary>
    public static bool NeedsAdminCheck(string? text)
    {
        if (!IsGroupCommand(text))
        {
            return false;
        }

        var words = text!.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 2 && words[1].ToLowerInvariant() is "feedback" or "schedule";
    }

    /// <summary>A message's thread when it is a reply in a thread (not the thread's parent), else null.</summary>
    public static string? ThreadOfReply(JsonElement body)
    {
        if (!body.TryGetProperty("event", out var e))
        {
            return null;
        }

        var threadTs = Str(e, "thread_ts");
        return threadTs is not null && threadTs != Str(e, "ts") ? threadTs : null;
    }

    /// <summary>The bot's user id from the callback's authorizations, when Slack included it.</summary>
    public static string? BotUserId(JsonElement body)
    {
        if (body.TryGetProperty("authorizations", out var auths) && auths.ValueKind == JsonValueKind.Array)
        {
            foreach (var auth in auths.EnumerateArray())
            {
                if (auth.TryGetProperty("is_bot", out var isBot) && isBot.ValueKind == JsonValueKind.True && Str(auth, "user_id") is { } id)
                {
                    return id;
                }
            }
        }

        return null;
    }

    private static AudioReference? AudioOf(JsonElement e)
    {
        if (!e.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var file in files.EnumerateArray())
        {
            var mime = Str(file, "mimetype") ?? string.Empty;
            var isClip = Str(file, "subtype") == "slack_audio";
            var isMedia = mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) || mime is "video/mp4" or "video/webm" or "video/quicktime";
            if ((isClip || isMedia) && (Str(file, "url_private_download") ?? Str(file, "url_private")) is { } url)
            {
                long? size = file.TryGetProperty("size", out var s) && s.TryGetInt64(out var bytes) ? bytes : null;
                return new AudioReference(url, mime.Length == 0 ? null : mime, Str(file, "name"), size);
            }
        }

        return null;
    }

    private static AudioReference? DocumentOf(JsonElement e)
    {
        if (!e.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var file in files.EnumerateArray())
        {
            if ((Str(file, "url_private_download") ?? Str(file, "url_private")) is { } url)
            {
                long? size = file.TryGetProperty("size", out var s) && s.TryGetInt64(out var bytes) ? bytes : null;
                return new AudioReference(url, Str(file, "mimetype"), Str(file, "name"), size);
            }
        }

        return null;
    }

    private static string StripMentions(string text, string? botUser, bool leadingMention)
    {
        if (botUser is not null)
        {
            text = text.Replace($"<@{botUser}>", " ", StringComparison.Ordinal);
        }

        // Without the authorizations block the bot's id is unknown; an app_mention then starts with the mention.
        return leadingMention && botUser is null ? LeadingMention().Replace(text, " ", 1) : text;
    }

    private static Dictionary<string, string> Route(string channel, string? thread, string user, string origin)
    {
        var route = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SlackChannel.RouteChannel] = channel,
            [SlackChannel.RouteUser] = user,
            [SlackChannel.RouteOrigin] = origin,
        };
        if (thread is not null)
        {
            route[SlackChannel.RouteThread] = thread;
        }

        return route;
    }

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^\s*<@[A-Z0-9]+(\|[^>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingMention();
}

/// <summary>A member asked to read an article from a report's pointer.</summary>
/// <param name="User">Who pressed the button (the article goes to them only).</param>
/// <param name="Channel">Where the report is.</param>
/// <param name="ThreadTs">The report's thread, when it is in one.</param>
/// <param name="ArticleId">The article's id in the knowledge store.</param>
internal sealed record ArticleRequest(string User, string Channel, string? ThreadTs, string ArticleId);
