using System.Net;
using System.Text.RegularExpressions;
using CoachBot.Cards.Adaptive;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Adapters.Teams.Graph;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Delivers replies in Teams. An answer first gets a placeholder message ("Listening to your answer…"); the reply
/// then replaces it with the card, so a delivery repeated after a crash updates the same message instead of posting
/// a second one. Without a placeholder (commands, buttons, recorder uploads) the card is posted as a new message.
/// Group rounds: a new round's card starts a new channel thread (or is posted in the group chat) and the round is
/// attached to it; answers get their feedback in a 1:1 chat and the thread an acknowledgement; reminders mention
/// who has not answered; summaries go into the round's thread.
/// </summary>
internal sealed partial class TeamsReplier(
    ConnectorClient connector,
    IGroupRounds rounds,
    PendingFeedback pending,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsReplier> logger,
    IDeliveryLedger? ledger = null,
    GraphMessages? graph = null) : ITurnReplier
{
    private readonly IDeliveryLedger _ledger = ledger ?? new InMemoryDeliveryLedger(time);

    public string Channel => TeamsChannel.Name;

    public CardOptions CardOptions => new(
        CanRecord: !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl),
        ArticleBaseUrl: string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? null : options.Value.PublicBaseUrl);

    public async Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Group is { } group)
        {
            switch (reply.Kind)
            {
                case TurnReplyKind.GroupRound:
                    await PostRoundAsync(turn, reply, group, cancellationToken);
                    return;
                case TurnReplyKind.GroupReminder:
                    await RemindAsync(turn, reply, group, cancellationToken);
                    return;
                case TurnReplyKind.GroupSummary:
                    await PostSummaryAsync(turn, reply, group, cancellationToken);
                    return;
                case TurnReplyKind.Report when !group.PublicFeedback:
                    await DeliverPrivatelyAsync(turn, reply, group, cancellationToken);
                    return;
            }
        }

        if (IsForgetConfirmed(turn, reply))
        {
            await pending.RemoveAsync(turn.UserId, null, cancellationToken);
        }

        // The core names people the Slack way (<@id>); Teams shows the sender's name, or a neutral word.
        var shown = reply with { Text = await PlainNamesAsync(turn, reply.Text, cancellationToken) };
        await ReplyAsync(turn, Activity.CardMessage(AdaptiveCards.ForReply(shown, CardOptions), Summary(shown.Text)), cancellationToken);
    }

    /// <summary>
    /// The placeholder for a turn: typing, and for answers a message that the card replaces later. Commands and
    /// buttons are answered within a second or two, so they get the typing indicator only. In a round's thread the
    /// placeholder of an answer becomes the acknowledgement (the feedback itself goes to the member privately).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> PostPlaceholderAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        var route = RouteOf(turn);
        await connector.SendTypingAsync(route, cancellationToken);
        if (turn.Intent != TurnIntent.Answer)
        {
            return new Dictionary<string, string>();
        }

        var text = turn.Audio is null ? "Reading your answer…" : "Listening to your answer…";
        var replyTo = turn.Reply.GetValueOrDefault(Routing.ReplyToId);
        var record = await _ledger.BeginAsync(turn.IdempotencyKey, DeliverySlots.Main, route.ConversationId, replyTo, null, cancellationToken);
        if (record.State != DeliveryState.New)
        {
            // The reply got there first.
            return new Dictionary<string, string>();
        }

        var id = await PostRecordedAsync(turn, record, route, Marked(turn, record, Notice(turn, DeliverySlots.Main, text)), replyTo, cancellationToken);
        return id is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Routing.PlaceholderId] = id };
    }

    /// <summary>Sends the member's kept round feedback into their (new) personal chat; returns how many were sent.</summary>
    public async Task<int> DeliverPendingAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var (key, activity) in await pending.ForUserAsync(userId, cancellationToken))
        {
            await connector.SendAsync(new ConversationRoute(serviceUrl, conversationId), activity, null, cancellationToken);
            await pending.RemoveAsync(userId, key, cancellationToken);
            sent++;
        }

        return sent;
    }

    /// <summary>Whether the turn confirmed "forget me" (the kept feedback of that member is deleted too).</summary>
    public static bool IsForgetConfirmed(CoachingTurn turn, TurnReply reply) =>
        reply.Kind == TurnReplyKind.Text
        && (turn.Intent == TurnIntent.CardAction ? turn.Action : turn.Text)?.Trim().ToLowerInvariant() is CardVerbs.ForgetConfirm or "forget-me confirm";

    private async Task PostRoundAsync(CoachingTurn turn, TurnReply reply, GroupReply group, CancellationToken cancellationToken)
    {
        var serviceUrl = ServiceUrlOf(turn);
        var inChannel = IsChannel(turn);
        var context = new GroupCardContext(
            await NameAsync(turn, group.FacilitatorId, cancellationToken),
            inChannel,
            await rounds.IsFeedbackPublicAsync(turn.Channel, turn.ConversationId, cancellationToken));
        var activity = Activity.CardMessage(AdaptiveCards.GroupRound(group, context, CardOptions), Summary(await PlainNamesAsync(turn, reply.Text, cancellationToken)));
        if (group.ThreadId is { } thread)
        {
            // "next": the next question goes into the round's thread.
            await ShowAsync(turn, DeliverySlots.Round, ThreadRoute(turn, thread), activity, null, null, cancellationToken);
            return;
        }

        // A delivery repeated after a crash finds the card already posted and attached.
        if ((await rounds.GetAsync(group.RoundId, cancellationToken))?.ThreadId is not null)
        {
            return;
        }

        // The card starts the round's thread (a new channel post) or names the round in a group chat. Its slot is written
        // before the post and its id right after; a post cut off by a crash in between is looked up in Graph by the key in
        // its card, so a restart attaches the round to it instead of posting a second card.
        var channel = new ConversationRoute(serviceUrl, turn.ConversationId);
        var record = await _ledger.BeginAsync(turn.IdempotencyKey, DeliverySlots.Round, turn.ConversationId, null, null, cancellationToken);
        var root = record.MessageId;
        if (root is null && record.State == DeliveryState.InDoubt && await FindCutOffAsync(turn, record, channel, activity, ByACrash, cancellationToken) is { } found)
        {
            await _ledger.RecordAsync(record.TurnKey, record.Slot, turn.ConversationId, found, CancellationToken.None);
            root = found;
        }

        root ??= await PostRoundCardAsync(turn, record, channel, Marked(turn, record, activity), inChannel, cancellationToken);
        var threadConversation = inChannel ? ActivityTurns.ThreadConversation(turn.ConversationId, root) : turn.ConversationId;
        await rounds.AttachThreadAsync(
            group.RoundId,
            root,
            new Dictionary<string, string> { [Routing.ConversationId] = threadConversation, [Routing.ReplyToId] = root },
            cancellationToken);
        Log.RoundPosted(logger, group.RoundId, inChannel ? "channel" : "chat");
    }

    /// <summary>Posts a new round's card (a channel post starting its thread, or a message in a group chat) and stores its id.</summary>
    private async Task<string> PostRoundCardAsync(CoachingTurn turn, DeliveryRecord record, ConversationRoute channel, Activity activity, bool inChannel, CancellationToken cancellationToken)
    {
        if (!inChannel)
        {
            // A group chat has no threads: the card is posted in the chat and its id names the round there.
            return await PostRecordedAsync(turn, record, channel, activity, null, cancellationToken)
                ?? throw new ConnectorException("The connector posted the round's card but returned no id.");
        }

        return await RecordedAsync(turn, record, channel, activity, async retries =>
        {
            var created = await connector.StartConversationAsync(channel.ServiceUrl, new ConversationParameters
            {
                IsGroup = true,
                Bot = turn.Reply.GetValueOrDefault(Routing.BotId) is { } bot ? new ChannelAccount { Id = bot } : null,
                TenantId = turn.TenantId,
                Activity = activity,
                ChannelData = new() { ["channel"] = new System.Text.Json.Nodes.JsonObject { ["id"] = turn.ConversationId } },
            }, retries, cancellationToken);
            return created.ActivityId ?? ActivityTurns.ThreadOf(created.Id ?? string.Empty);
        }, cancellationToken) ?? throw new ConnectorException("The connector created the round's post but named no message id.");
    }

    private async Task DeliverPrivatelyAsync(CoachingTurn turn, TurnReply reply, GroupReply group, CancellationToken cancellationToken)
    {
        var serviceUrl = ServiceUrlOf(turn);
        var report = Activity.CardMessage(AdaptiveCards.ForReply(reply, CardOptions), Summary(reply.Text));
        var delivered = true;
        try
        {
            var chat = await connector.CreateConversationAsync(serviceUrl, new ConversationParameters
            {
                IsGroup = false,
                Bot = turn.Reply.GetValueOrDefault(Routing.BotId) is { } bot ? new ChannelAccount { Id = bot } : null,
                Members = [new ChannelAccount { Id = turn.UserId }],
                TenantId = turn.TenantId,
                ChannelData = turn.TenantId is { } tenant
                    ? new() { ["tenant"] = new System.Text.Json.Nodes.JsonObject { ["id"] = tenant } }
                    : null,
            }, cancellationToken);
            await ShowAsync(turn, DeliverySlots.Private, new ConversationRoute(serviceUrl, chat), report, null, null, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // Teams creates a 1:1 chat only with people who have the app installed for themselves.
            Log.PrivateChatRefused(logger, group.RoundId, (int)ex.Status!, ex.Code ?? "-");
            delivered = false;
        }

        if (!delivered)
        {
            await pending.AddAsync(turn.UserId, turn.IdempotencyKey, report, cancellationToken);
        }

        var thread = ThreadRoute(turn, group.ThreadId ?? turn.ThreadId);
        var acknowledgement = Notice(turn, DeliverySlots.Main, GroupMessages.Acknowledgement(group.AnswerCount));
        try
        {
            await ReplaceOrPostAsync(turn, thread, acknowledgement, cancellationToken);
        }
        catch (Exception ex) when (ex is ConnectorException or HttpRequestException)
        {
            // The member has their feedback (or it is kept for them); failing the turn now would retry it and send the
            // report twice.
            Log.AcknowledgementFailed(logger, ex, turn.IdempotencyKey);
        }

        if (delivered)
        {
            return;
        }

        var name = await NameAsync(turn, turn.UserId, cancellationToken) ?? "there";
        var consent = Activity.CardMessage(AdaptiveCards.GroupConsent(ChatUrl(turn)), "Your feedback is waiting in your chat with CoachBot") with
        {
            Text = $"{Mention(name)}, your feedback is ready: open your chat with CoachBot to get it.",
            Entities = [MentionOf(turn.UserId, name)],
        };
        await ShowAsync(turn, DeliverySlots.Consent, thread, consent, null, null, cancellationToken);
    }

    private async Task RemindAsync(CoachingTurn turn, TurnReply reply, GroupReply group, CancellationToken cancellationToken)
    {
        var bot = turn.Reply.GetValueOrDefault(Routing.BotId);
        var answered = group.Answered.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<ChannelAccount> waiting;
        try
        {
            waiting = [.. (await connector.GetMembersAsync(ServiceUrlOf(turn), turn.ConversationId, cancellationToken))
                .Where(m => m.Id is { Length: > 0 } id && !answered.Contains(id) && id != bot && !id.StartsWith("28:", StringComparison.Ordinal))];
        }
        catch (ConnectorException ex)
        {
            // Without the member list the reminder still goes out, naming no one.
            Log.MembersUnavailable(logger, (int?)ex.Status ?? 0);
            waiting = [];
        }

        var activity = Activity.CardMessage(AdaptiveCards.GroupReminder(group, CardOptions), Summary(reply.Text));
        if (waiting.Count > 0)
        {
            activity = activity with
            {
                Text = "Reminder: " + string.Join(", ", waiting.Select(m => Mention(m.Name ?? "member"))) + ", the round's question is still open.",
                Entities = [.. waiting.Select(m => MentionOf(m.Id!, m.Name ?? "member"))],
            };
        }

        await ReplaceOrPostAsync(turn, ThreadRoute(turn, group.ThreadId ?? turn.ThreadId), activity, cancellationToken);
    }

    private async Task PostSummaryAsync(CoachingTurn turn, TurnReply reply, GroupReply group, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var participants = group.Summary?.Participants ?? [];
        if (participants.Count > 0)
        {
            try
            {
                foreach (var member in await connector.GetMembersAsync(ServiceUrlOf(turn), turn.ConversationId, cancellationToken))
                {
                    if (member.Id is { Length: > 0 } id && member.Name is { Length: > 0 } name)
                    {
                        names[id] = name;
                    }
                }
            }
            catch (ConnectorException ex)
            {
                Log.MembersUnavailable(logger, (int?)ex.Status ?? 0);
            }
        }

        var activity = Activity.CardMessage(AdaptiveCards.GroupSummary(group, names), Summary(reply.Text));
        var mentioned = participants.Where(names.ContainsKey).Take(20).ToList();
        if (mentioned.Count > 0)
        {
            activity = activity with
            {
                Text = "Round wrapped up. Thanks for taking part, " + string.Join(", ", mentioned.Select(p => Mention(names[p]))) + "!",
                Entities = [.. mentioned.Select(p => MentionOf(p, names[p]))],
            };
        }

        await ReplaceOrPostAsync(turn, ThreadRoute(turn, group.ThreadId ?? turn.ThreadId), activity, cancellationToken);
    }

    /// <summary>Updates the turn's placeholder when it has one (it sits in the same thread), else posts in <paramref name="thread"/>.</summary>
    private Task ReplaceOrPostAsync(CoachingTurn turn, ConversationRoute thread, Activity activity, CancellationToken cancellationToken)
    {
        // The placeholder sits in the turn's own conversation; a new message goes into the thread.
        var placeholder = turn.Reply.GetValueOrDefault(Routing.PlaceholderId) is { Length: > 0 } id ? id : null;
        return ShowAsync(turn, DeliverySlots.Main, RouteOf(turn), activity, null, placeholder, cancellationToken, postTo: thread);
    }

    private Task ReplyAsync(CoachingTurn turn, Activity activity, CancellationToken cancellationToken) =>
        ShowAsync(turn, DeliverySlots.Main, RouteOf(turn), activity, turn.Reply.GetValueOrDefault(Routing.ReplyToId),
            turn.Reply.GetValueOrDefault(Routing.PlaceholderId) is { Length: > 0 } placeholder ? placeholder : null, cancellationToken);

    /// <summary>
    /// Shows <paramref name="activity"/> as the slot's one message: the message already posted for it (the ledger's, or
    /// <paramref name="knownId"/>) is updated; otherwise it is posted, with the slot written before and the activity id
    /// right after. The Bot Framework cannot list a conversation's messages, so a post cut off by a crash (the slot was
    /// begun, no id came back) is looked up in Microsoft Graph by the slot's key in its card: found, its id is stored
    /// and it is updated; not there, or Graph cannot be asked (a personal chat, plain text, no consent), it is posted,
    /// and the log says why.
    /// </summary>
    private async Task ShowAsync(
        CoachingTurn turn, string slot, ConversationRoute route, Activity activity, string? replyToId, string? knownId, CancellationToken cancellationToken,
        ConversationRoute? postTo = null)
    {
        var record = await _ledger.BeginAsync(turn.IdempotencyKey, slot, route.ConversationId, replyToId, knownId, cancellationToken);
        if (record.MessageId is { } id)
        {
            try
            {
                await connector.UpdateAsync(route with { ConversationId = record.Conversation }, id, activity, cancellationToken);
                return;
            }
            catch (ConnectorException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                // The message was deleted or can no longer be edited: the user still gets the reply.
                Log.PlaceholderUpdateFailed(logger, id, (int)ex.Status!);
            }
        }
        else if (record.State == DeliveryState.InDoubt)
        {
            var target = postTo ?? route;
            if (await FindCutOffAsync(turn, record, target, activity, ByACrash, cancellationToken) is { } found)
            {
                await _ledger.RecordAsync(record.TurnKey, slot, target.ConversationId, found, CancellationToken.None);
                try
                {
                    await connector.UpdateAsync(target, found, Marked(turn, record, activity), cancellationToken);
                    return;
                }
                catch (ConnectorException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
                {
                    Log.PlaceholderUpdateFailed(logger, found, (int)ex.Status!);
                }
            }
        }

        await PostRecordedAsync(turn, record, postTo ?? route, Marked(turn, record, activity), postTo is null ? replyToId : null, cancellationToken);
    }

    /// <summary>Whether Graph can list where the slot posts: a group chat or a channel thread, not a personal chat.</summary>
    private static bool InGraphReach(CoachingTurn turn, string slot) =>
        slot != DeliverySlots.Private && turn.Reply.GetValueOrDefault(Routing.ConversationType) is "channel" or "groupChat";

    /// <summary>
    /// A short notice for the slot: a one-line card where Graph could find it after a crash (the slot's key rides in the
    /// card, so a placeholder or acknowledgement cut off in flight is found and replaced, not left beside the reply);
    /// plain text in a personal chat, which Graph cannot list for the bot.
    /// </summary>
    private static Activity Notice(CoachingTurn turn, string slot, string text) =>
        InGraphReach(turn, slot)
            ? Activity.CardMessage(AdaptiveCards.Notice(text), text)
            : new Activity { Type = ActivityTypes.Message, Text = text };

    /// <summary>The activity with the slot's key in its card where a look-up could find it; unchanged elsewhere.</summary>
    private static Activity Marked(CoachingTurn turn, DeliveryRecord record, Activity activity) =>
        InGraphReach(turn, record.Slot) ? GraphMessages.Mark(activity, record.TurnKey, record.Slot) ?? activity : activity;

    /// <summary>
    /// The id of the slot's post cut off <paramref name="cause"/> (by a crash, or by a connector failure after the post
    /// was sent), when Microsoft Graph has it; null (and a log line saying why) when it is not there or cannot be looked
    /// up, so the caller posts.
    /// </summary>
    private async Task<string?> FindCutOffAsync(CoachingTurn turn, DeliveryRecord record, ConversationRoute target, Activity activity, string cause, CancellationToken cancellationToken)
    {
        var slot = record.Slot;
        if (graph is null || !options.Value.GraphLookup || options.Value.IsDevelopmentMode)
        {
            Log.DeliveryInDoubt(logger, turn.IdempotencyKey, slot, cause, "Graph look-ups are off (Teams:GraphLookup false, or no Teams:AppId)");
            return null;
        }

        if (!InGraphReach(turn, slot))
        {
            Log.DeliveryInDoubt(logger, turn.IdempotencyKey, slot, cause,
                "it went to a personal chat, which Graph lists only with the tenant-wide Chat.Read.All (a protected API) and a chat id the Bot Framework does not give");
            return null;
        }

        if (GraphMessages.Mark(activity, record.TurnKey, slot) is null)
        {
            Log.DeliveryInDoubt(logger, turn.IdempotencyKey, slot, cause, "the message is plain text, which carries no key Graph returns");
            return null;
        }

        GraphPlace place;

        if (IsChannel(turn))
        {
            // A reply in a thread is listed among the thread's replies; a new post (a round's card) among the channel's posts.
            place = new GraphPlace.ChannelThread(target.ServiceUrl, turn.Reply.GetValueOrDefault(Routing.TeamId), turn.Reply.GetValueOrDefault(Routing.TeamGroupId),
                ActivityTurns.ConversationOf(target.ConversationId), ActivityTurns.ThreadOf(target.ConversationId));
        }
        else
        {
            place = new GraphPlace.GroupChat(target.ConversationId);
        }

        var result = await graph.FindAsync(place, GraphMessages.MarkOf(record.TurnKey, slot), turn.TenantId ?? turn.Reply.GetValueOrDefault(Routing.TenantId),
            record.StartedAt, cancellationToken);
        switch (result.Outcome)
        {
            case GraphOutcome.Found:
                Log.CutOffPostFound(logger, turn.IdempotencyKey, slot, cause, result.Pages);
                return result.MessageId;
            case GraphOutcome.NotFound:
                Log.CutOffPostNotFound(logger, turn.IdempotencyKey, slot, cause, result.Pages);
                return null;
            default:
                Log.DeliveryInDoubt(logger, turn.IdempotencyKey, slot, cause, "the Graph look-up failed: " + result.Reason);
                return null;
        }
    }

    private Task<string?> PostRecordedAsync(CoachingTurn turn, DeliveryRecord record, ConversationRoute route, Activity activity, string? replyToId, CancellationToken cancellationToken) =>
        RecordedAsync(turn, record, route, activity, retries => connector.SendAsync(route, activity, replyToId, retries, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the slot's post of <paramref name="activity"/> to <paramref name="target"/> and stores the id it returns; a
    /// post the connector refused outright leaves no slot behind. Where Graph could find the post by the key in its card
    /// (a group chat, a channel), a failure after which the connector may have delivered it (a 5xx, a connection lost
    /// after sending) is not repeated blindly: the post is looked up as after a crash; found, its id is stored; not
    /// there, or Graph cannot be asked (log 7033), it is posted again, at most <c>Teams:ConnectorRetries</c> times.
    /// Elsewhere (a personal chat, plain text) the connector repeats it as before: a reply lost is worse than one shown twice.
    /// </summary>
    private async Task<string?> RecordedAsync(CoachingTurn turn, DeliveryRecord record, ConversationRoute target, Activity activity, Func<PostRetries, Task<string?>> post,
        CancellationToken cancellationToken)
    {
        var retries = GraphMessages.Mark(activity, record.TurnKey, record.Slot) is not null && InGraphReach(turn, record.Slot)
            ? PostRetries.UnlessMaybeDelivered
            : PostRetries.All;
        for (var attempt = 1; ; attempt++)
        {
            string? id;
            try
            {
                id = await post(retries);
            }
            catch (ConnectorException ex) when (attempt == 1 && ex.Status is { } status && (int)status is >= 400 and < 500 and not 429)
            {
                // The connector answered and posted nothing: nothing is left to find later (after an attempt in doubt the
                // slot stays, so that a retried turn looks for that one).
                await _ledger.ForgetAsync(record.TurnKey, record.Slot, CancellationToken.None);
                throw;
            }
            catch (ConnectorException ex) when (ex.DeliveryUnknown && attempt <= options.Value.ConnectorRetries)
            {
                // The connector's retry delay, on the injected clock; it also gives Graph time to list a message just posted.
                await Task.Delay(RetryDelay(attempt), time, cancellationToken);
                id = await FindCutOffAsync(turn, record, target, activity,
                    ex.Status is { } status ? $"by the connector's {(int)status} answer" : "by a connection lost after sending", cancellationToken);
                if (id is null)
                {
                    continue;
                }
            }

            if (id is not null)
            {
                // Kept even when the caller is being cancelled: the message exists now.
                await _ledger.RecordAsync(record.TurnKey, record.Slot, target.ConversationId, id, CancellationToken.None);
            }

            return id;
        }
    }

    /// <summary>The connector's retry delay before attempt <paramref name="attempt"/> + 1: the base, doubled per attempt, at most 30 s.</summary>
    private TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, options.Value.ConnectorRetryBaseDelayMilliseconds * Math.Pow(2, attempt - 1)));

    /// <summary>A display name: the sender's from the turn, anyone else's from Teams (null when Teams will not say).</summary>
    private async Task<string?> NameAsync(CoachingTurn turn, string userId, CancellationToken cancellationToken)
    {
        if (userId == turn.UserId && turn.Reply.GetValueOrDefault(Routing.UserName) is { Length: > 0 } own)
        {
            return own;
        }

        try
        {
            return (await connector.GetMemberAsync(ServiceUrlOf(turn), turn.ConversationId, userId, cancellationToken))?.Name;
        }
        catch (ConnectorException ex)
        {
            Log.MembersUnavailable(logger, (int?)ex.Status ?? 0);
            return null;
        }
    }

    private async Task<string> PlainNamesAsync(CoachingTurn turn, string text, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in SlackMention().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
        {
            names[id] = await NameAsync(turn, id, cancellationToken) ?? "the facilitator";
        }

        return names.Count == 0 ? text : SlackMention().Replace(text, m => names[m.Groups[1].Value]);
    }

    private static bool IsChannel(CoachingTurn turn) => turn.Reply.GetValueOrDefault(Routing.ConversationType) == "channel";

    /// <summary>Where a round's thread is: a channel thread's own conversation id, or the group chat itself.</summary>
    private static ConversationRoute ThreadRoute(CoachingTurn turn, string? threadId) =>
        new(ServiceUrlOf(turn), IsChannel(turn) && threadId is not null ? ActivityTurns.ThreadConversation(turn.ConversationId, threadId) : turn.ConversationId);

    /// <summary>A link that opens the member's chat with the bot (Teams offers to add the app there).</summary>
    private static string ChatUrl(CoachingTurn turn) =>
        "https://teams.microsoft.com/l/chat/0/0?users=" + Uri.EscapeDataString(turn.Reply.GetValueOrDefault(Routing.BotId) ?? string.Empty);

    private static string Mention(string name) => $"<at>{WebUtility.HtmlEncode(name)}</at>";

    private static Entity MentionOf(string id, string name) =>
        new() { Type = "mention", Text = Mention(name), Mentioned = new ChannelAccount { Id = id, Name = name } };

    private static string ServiceUrlOf(CoachingTurn turn) =>
        turn.Reply.GetValueOrDefault(Routing.ServiceUrl) is { Length: > 0 } serviceUrl
            ? serviceUrl
            : throw new InvalidOperationException($"The Teams turn {turn.IdempotencyKey} carries no service URL to reply to.");

    private static ConversationRoute RouteOf(CoachingTurn turn) =>
        new(ServiceUrlOf(turn), turn.Reply.GetValueOrDefault(Routing.ConversationId) ?? turn.ConversationId);

    /// <summary>The notification preview: the reply's first line, shortened.</summary>
    private const string ByACrash = "by a crash";

    private static string Summary(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 120 ? line : line[..117] + "…";
    }

    [GeneratedRegex("<@([^>]+)>", RegexOptions.None, 1000)]
    private static partial Regex SlackMention();
}
