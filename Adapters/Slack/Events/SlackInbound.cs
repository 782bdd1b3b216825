using System.Collections.Concurrent;
using System.Text.Json;
using CoachBot.Adapters.Slack.Groups;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.Events;

/// <summary>
/// Takes verified Slack payloads (from the HTTP endpoints or Socket Mode), maps them to turns and hands them to the
/// turn intake, which stores them before the caller acknowledges Slack; the placeholder is posted afterwards.
/// A reply in a group round's thread is a round turn, whether or not it mentions the bot.
/// </summary>
internal sealed class SlackInbound(
    ITurnIntake intake,
    SlackWebApi api,
    SlackDelivery delivery,
    SlackThreads threads,
    IGroupRounds rounds,
    SlackAdmins admins,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SlackInbound> logger,
    IKnowledgeStore? knowledge = null)
{
    private readonly ConcurrentDictionary<Task, byte> _checks = new();

    /// <summary>Handles an Events API callback body; returns once the turn (if any) is stored.</summary>
    public async Task HandleEventAsync(JsonElement body, string? retryNum, CancellationToken cancellationToken)
    {
        var eventId = SlackTurns.Str(body, "event_id") ?? "?";
        if (retryNum is not null)
        {
            Log.EventRetried(logger, eventId, retryNum);
        }

        var mapped = SlackTurns.FromEventCallback(body, time.GetUtcNow());
        if (mapped.Turn is { } candidate)
        {
            // Rounds first: a round's thread is the bot's own, and everything said in it (answers, voice clips, the
            // facilitator's words) belongs to the round. The lookup is one indexed query in the local database.
            if (SlackTurns.ThreadOfReply(body) is { } thread
                && await rounds.FindByThreadAsync(SlackChannel.Name, candidate.ConversationId, thread, cancellationToken) is { } round)
            {
                threads.Remember(candidate.ConversationId, thread);
                await SubmitAsync(await ForRoundAsync(candidate, round, cancellationToken), cancellationToken);
                return;
            }

            if (candidate.Intent == TurnIntent.Command && SlackTurns.IsGroupCommand(candidate.Text))
            {
                if (IsDirect(candidate))
                {
                    RefuseGroupInDirectMessage(candidate);
                    return;
                }

                mapped = mapped with { Turn = await WithAdminAsync(candidate, cancellationToken) };
            }
        }

        switch (mapped.Decision)
        {
            case EventDecision.Turn:
                await SubmitAsync(mapped.Turn!, cancellationToken);
                break;
            case EventDecision.TurnIfBotThread:
                // Whether the bot is in the thread may need a Web API call, which must not hold up the acknowledgement.
                var turn = mapped.Turn!;
                if (threads.Knows(turn.ConversationId, turn.ThreadId!))
                {
                    await SubmitAsync(turn, cancellationToken);
                }
                else
                {
                    Track(Task.Run(() => CheckThreadAndSubmitAsync(turn, SlackTurns.BotUserId(body)), CancellationToken.None));
                }

                break;
            default:
                Log.EventIgnored(logger, eventId, mapped.Reason);
                break;
        }
    }

    /// <summary>Handles a slash command's form fields.</summary>
    public async Task<bool> HandleCommandAsync(IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        if (SlackTurns.FromCommand(form, time.GetUtcNow()) is not { } turn)
        {
            Log.EventIgnored(logger, "command", "missing user or channel");
            return false;
        }

        if (SlackTurns.IsGroupCommand(turn.Text))
        {
            if (IsDirect(turn) || form.GetValueOrDefault("channel_name") == "directmessage")
            {
                RefuseGroupInDirectMessage(turn);
                return true;
            }

            turn = await WithAdminAsync(turn, cancellationToken);
        }

        await SubmitAsync(turn, cancellationToken);
        return true;
    }

    /// <summary>Handles an interactivity payload (a button press).</summary>
    public async Task HandleInteractionAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        if (SlackTurns.ArticleRequestOf(payload) is { } article)
        {
            // Read and posted after Slack is acknowledged: the first read of a fresh store may index the built-in articles.
            Track(Task.Run(() => SendArticleAsync(article), CancellationToken.None));
            return;
        }

        if (SlackTurns.FromInteraction(payload, time.GetUtcNow()) is not { } turn)
        {
            Log.EventIgnored(logger, SlackTurns.Str(payload, "type") ?? "interaction", "not one of the reply buttons");
            return;
        }

        await SubmitAsync(turn, cancellationToken);
    }

    /// <summary>Completes when every background thread check has finished (for tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_checks.Keys);

    /// <summary>
    /// Marks a turn as said in a round. Whether the sender is a workspace admin matters only for the facilitator's words
    /// said by someone else; that one users.info call (cached by <see cref="SlackAdmins"/>, with a budget counted from the request)
    /// happens here, before Slack is acknowledged, because the stored turn must carry it: a placeholder poster runs
    /// after the turn is stored and can only add routing.
    /// </summary>
    private async Task<CoachingTurn> ForRoundAsync(CoachingTurn turn, GroupRound round, CancellationToken cancellationToken)
    {
        var facilitatorWord = turn.Audio is null && ChatCommands.IsRoundCommand(turn.Text)
            && turn.Text!.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0].ToLowerInvariant() is "next" or "wrap" or "remind";
        var isAdmin = facilitatorWord && turn.UserId != round.FacilitatorId && await admins.IsAdminAsync(turn.TenantId, turn.UserId, turn.ReceivedAt, cancellationToken);
        return turn with { RoundId = round.Id, SenderIsAdmin = isAdmin };
    }

    /// <summary>Adds whether the sender is an admin to a group command that changes channel settings (see <see cref="ForRoundAsync"/>).</summary>
    private async Task<CoachingTurn> WithAdminAsync(CoachingTurn turn, CancellationToken cancellationToken) =>
        SlackTurns.NeedsAdminCheck(turn.Text) ? turn with { SenderIsAdmin = await admins.IsAdminAsync(turn.TenantId, turn.UserId, turn.ReceivedAt, cancellationToken) } : turn;

    private static bool IsDirect(CoachingTurn turn) => turn.ConversationId.StartsWith('D');

    private void RefuseGroupInDirectMessage(CoachingTurn turn)
    {
        Log.GroupInDirectMessage(logger, turn.IdempotencyKey);
        Track(Task.Run(
            async () =>
            {
                const string Text = "Group practice runs in channels: add me to a channel (/invite @CoachBot) and say “/coach group” there; everyone answers in the round's thread. Here, say “start” to practise on your own.";
                var stopping = lifetime.ApplicationStopping;
                try
                {
                    try
                    {
                        await api.PostMessageAsync(turn.ConversationId, turn.Reply.GetValueOrDefault(SlackChannel.RouteThread), Text, null, stopping);
                    }
                    catch (SlackApiException ex) when (ex.Error is "channel_not_found" or "not_in_channel")
                    {
                        // A direct message between people, not with the bot: answer in the bot's own messages instead.
                        await api.PostMessageAsync(turn.UserId, null, Text, null, stopping);
                    }
                }
#pragma warning disable CA1031 // A courtesy message: failing to send it must not take anything else down.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.GroupRefusalFailed(logger, ex, turn.IdempotencyKey);
                }
            },
            CancellationToken.None));
    }

    private async Task SubmitAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        // The round's own words (wrap, next, remind, share, help) get no placeholder: their answers are a new message in
        // the thread or an ephemeral one, and a placeholder would show everyone "One moment…" for a refusal only the
        // sender should see. An answer's placeholder stays: it becomes the thread's "✓ 3 answers so far".
        var quiet = turn.RoundId is not null && turn.Audio is null && ChatCommands.IsRoundCommand(turn.Text);
        if (await intake.SubmitAsync(turn, quiet ? null : PostPlaceholderAsync, cancellationToken))
        {
            Log.TurnQueued(logger, turn.IdempotencyKey, turn.Intent.ToString(), turn.Audio is not null);
        }
        else
        {
            Log.DuplicateTurn(logger, turn.IdempotencyKey);
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> PostPlaceholderAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        var text = turn.Intent == TurnIntent.Answer
            ? turn.Audio is not null ? "Listening to your answer…" : "Reading your answer…"
            : "One moment…";
        var channel = turn.Reply[SlackChannel.RouteChannel];
        var thread = turn.Reply.GetValueOrDefault(SlackChannel.RouteThread);
        SlackMessageRef? posted;
        try
        {
            posted = await delivery.PostPlaceholderAsync(turn.IdempotencyKey, channel, thread, text, cancellationToken);
        }
        catch (SlackApiException ex) when (turn.Reply.GetValueOrDefault(SlackChannel.RouteOrigin) == "command" && ex.Error is "channel_not_found" or "not_in_channel")
        {
            // A slash command from a channel the bot is not in: answer in the user's direct messages with the bot.
            thread = null;
            posted = await delivery.PostPlaceholderAsync(turn.IdempotencyKey, turn.UserId, null, text, cancellationToken);
        }

        if (posted is null)
        {
            // The reply got there first: no placeholder.
            return new Dictionary<string, string>();
        }

        threads.Remember(posted.Channel, thread ?? posted.Ts);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SlackChannel.RouteChannel] = posted.Channel,
            [SlackChannel.RoutePlaceholder] = posted.Ts,
        };
    }

    private async Task CheckThreadAndSubmitAsync(CoachingTurn turn, string? botUserId)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            botUserId ??= await api.BotUserIdAsync(stopping);
            var messages = await api.RepliesAsync(turn.ConversationId, turn.ThreadId!, 50, stopping);
            if (messages.Any(m => m.User == botUserId))
            {
                threads.Remember(turn.ConversationId, turn.ThreadId);
                await SubmitAsync(turn, stopping);
            }
            else
            {
                Log.EventIgnored(logger, turn.IdempotencyKey, "a thread reply in a thread the bot is not part of");
            }
        }
#pragma warning disable CA1031 // A failed check drops one unaddressed thread message; it must not take anything else down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ThreadCheckFailed(logger, ex, turn.IdempotencyKey);
        }
    }

    /// <summary>Posts the article a member asked for to that member only (chat.postEphemeral, in the report's thread).</summary>
    private async Task SendArticleAsync(ArticleRequest request)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            var article = knowledge is null ? null : await knowledge.GetDocumentAsync(request.ArticleId, stopping);
            var message = article is null
                ? BlockKitRenderer.Render(new TurnReply { Kind = TurnReplyKind.Error, Text = "That article is no longer in CoachBot's knowledge base." })
                : BlockKitRenderer.RenderArticle(article.Title, article.Text);
            await api.PostEphemeralAsync(request.Channel, request.User, request.ThreadTs, message.Text, message.Blocks, stopping);
            Log.ArticleSent(logger, request.ArticleId, request.User);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException or KnowledgeException or TaskCanceledException)
        {
            Log.ArticleFailed(logger, ex, request.ArticleId, request.User);
        }
    }

    private void Track(Task task)
    {
        _checks[task] = 0;
        _ = task.ContinueWith(t => _checks.TryRemove(t, out _), TaskScheduler.Default);
    }
}
