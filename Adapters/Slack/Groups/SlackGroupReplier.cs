using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.Groups;

/// <summary>
/// Delivers the replies of group rounds in Slack. A new round's card becomes the channel message whose thread is the
/// round (the placeholder of the start command when there is one, else a new message), and the round is told its
/// thread. An answer's report goes to the member as a direct message (ephemeral in the thread when that fails) and the
/// thread shows only the running count, unless the channel made feedback public. Reminders mention the channel's members
/// who have not answered; summaries go into the round's thread. Refusals and notices in a round reach only the sender.
/// </summary>
internal sealed class SlackGroupReplier(SlackWebApi api, SlackDelivery delivery, IGroupRounds rounds, SlackThreads threads, ILogger<SlackGroupReplier> logger)
{
    private string? _botUserId;

    /// <summary>Sends <paramref name="reply"/> when it belongs to a round or a group command; false for anything else.</summary>
    public async Task<bool> TrySendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
    {
        var channel = turn.Reply.GetValueOrDefault(SlackChannel.RouteChannel) ?? turn.ConversationId;
        var placeholder = turn.Reply.GetValueOrDefault(SlackChannel.RoutePlaceholder);
        var thread = reply.Group?.ThreadId ?? turn.Reply.GetValueOrDefault(SlackChannel.RouteThread) ?? turn.ThreadId;
        switch (reply.Kind)
        {
            case TurnReplyKind.GroupRound when reply.Group is { } group:
                await SendRoundCardAsync(turn, reply, group, channel, placeholder, cancellationToken);
                return true;

            case TurnReplyKind.Report when reply.Group is { } group && reply.Report is { } report:
                var full = BlockKitRenderer.Render(report);
                if (group.PublicFeedback)
                {
                    await PostOrUpdateAsync(turn, reply, channel, thread, placeholder, full, cancellationToken);
                    return true;
                }

                await SendPrivatelyAsync(turn, group.RoundId, channel, thread, full, cancellationToken);
                try
                {
                    await PostOrUpdateAsync(turn, reply, channel, thread, placeholder, BlockKitRenderer.RenderAcknowledgement(group.AnswerCount), cancellationToken);
                }
                catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
                {
                    // The member has their feedback; failing the turn now would retry it and send the report twice.
                    Log.AcknowledgementFailed(logger, ex, turn.IdempotencyKey);
                }

                return true;

            case TurnReplyKind.GroupReminder when reply.Group is { } group:
                var answered = group.Answered.ToHashSet(StringComparer.Ordinal);
                _botUserId ??= await api.BotUserIdAsync(cancellationToken);
                var pending = (await api.ConversationMembersAsync(turn.ConversationId, cancellationToken))
                    .Where(m => m != _botUserId && !answered.Contains(m))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                await PostOrUpdateAsync(turn, reply, channel, thread, placeholder, BlockKitRenderer.RenderReminder(reply, pending), cancellationToken);
                return true;

            case TurnReplyKind.GroupSummary when reply.Group is not null:
                await PostOrUpdateAsync(turn, reply, channel, thread, placeholder, BlockKitRenderer.Render(reply), cancellationToken);
                return true;

            case TurnReplyKind.Error or TurnReplyKind.Text when turn.RoundId is not null && !IsDirect(channel):
            case TurnReplyKind.Error when SlackTurns.IsGroupCommand(turn.Text) && !IsDirect(channel):
                // "Only the facilitator can wrap", "thanks, you may be quoted", a round that is closed: for the sender only.
                await delivery.DiscardAsync(turn.IdempotencyKey, DeliverySlots.Main, placeholder, channel, cancellationToken);

                var message = BlockKitRenderer.Render(reply);
                await api.PostEphemeralAsync(channel, turn.UserId, thread, message.Text, message.Blocks, cancellationToken);
                Log.ReplySent(logger, turn.IdempotencyKey, "chat.postEphemeral", reply.Kind.ToString());
                return true;

            default:
                return false;
        }
    }

    private async Task SendRoundCardAsync(CoachingTurn turn, TurnReply reply, GroupReply group, string channel, string? placeholder, CancellationToken cancellationToken)
    {
        var card = BlockKitRenderer.Render(reply);
        if (group.ThreadId is { } roundThread)
        {
            // The facilitator's "next": the next question goes into the round's thread.
            await PostOrUpdateAsync(turn, reply, channel, roundThread, placeholder, card, cancellationToken);
            return;
        }

        if (channel != turn.ConversationId)
        {
            // The start command's placeholder fell back to the starter's direct messages: the bot is not in that channel,
            // so nobody there could answer. Close the empty round (no summary will come) and say how to fix it.
            await rounds.WrapAsync(group.RoundId, cancellationToken);
            Log.RoundNotInChannel(logger, group.RoundId);
            var refusal = BlockKitRenderer.Render(TurnReply.Failure("not_in_channel",
                "I'm not a member of that channel, so nobody there could answer. Add me with /invite @CoachBot in the channel, then start the round again."));
            await PostOrUpdateAsync(turn, reply, channel, null, placeholder, refusal, cancellationToken);
            return;
        }

        // The round's card is a top-level message in the channel: its ts is the round's thread.
        var ts = (await delivery.DeliverAsync(turn.IdempotencyKey, DeliverySlots.Main, channel, null, placeholder, card, cancellationToken)).Message.Ts;
        await rounds.AttachThreadAsync(
            group.RoundId,
            ts,
            new Dictionary<string, string>(StringComparer.Ordinal) { [SlackChannel.RouteChannel] = channel, [SlackChannel.RouteThread] = ts },
            cancellationToken);
        threads.Remember(channel, ts);
        Log.RoundThreadAttached(logger, group.RoundId, ts);
    }

    private async Task SendPrivatelyAsync(CoachingTurn turn, long roundId, string channel, string? thread, SlackMessage report, CancellationToken cancellationToken)
    {
        try
        {
            // A user id as the channel posts into the app's direct messages with that user (chat:write is enough).
            await delivery.DeliverAsync(turn.IdempotencyKey, DeliverySlots.Private, turn.UserId, null, null, report, cancellationToken);
            Log.ReplySent(logger, turn.IdempotencyKey, "chat.postMessage (direct)", nameof(TurnReplyKind.Report));
        }
        catch (SlackApiException ex) when (ex.Error is not ("not_configured" or "http_unreachable" or "timeout"))
        {
            // The member has not opened the app's messages, or the workspace blocks them: only they see it in the thread.
            Log.DirectMessageFailed(logger, roundId, ex.Error);
            await api.PostEphemeralAsync(channel, turn.UserId, thread, report.Text, report.Blocks, cancellationToken);
        }
    }

    private async Task PostOrUpdateAsync(
        CoachingTurn turn, TurnReply reply, string channel, string? thread, string? placeholder, SlackMessage message, CancellationToken cancellationToken)
    {
        var (_, method) = await delivery.DeliverAsync(turn.IdempotencyKey, DeliverySlots.Main, channel, thread, placeholder, message, cancellationToken);
        Log.ReplySent(logger, turn.IdempotencyKey, method, reply.Kind.ToString());
    }

    private static bool IsDirect(string channel) => channel.StartsWith('D');
}
