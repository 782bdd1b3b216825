using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.Groups;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack;

/// <summary>
/// Delivers replies in Slack: replaces the placeholder with the blocks (chat.update), so a repeated delivery after a
/// crash updates the same message instead of posting twice. Without a placeholder it posts in the thread; an error
/// with nothing to replace goes only to the user (chat.postEphemeral) when it was asked outside a direct message.
/// Group rounds have their own rules (<see cref="SlackGroupReplier"/>).
/// </summary>
internal sealed class SlackReplier(SlackWebApi api, SlackThreads threads, SlackGroupReplier groups, ILogger<SlackReplier> logger) : ITurnReplier
{
    public string Channel => SlackChannel.Name;

    public async Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(reply);
        if (await groups.TrySendAsync(turn, reply, cancellationToken))
        {
            return;
        }

        var message = BlockKitRenderer.Render(reply);
        var channel = turn.Reply.GetValueOrDefault(SlackChannel.RouteChannel) ?? turn.ConversationId;
        var thread = turn.Reply.GetValueOrDefault(SlackChannel.RouteThread) ?? turn.ThreadId;
        if (turn.Reply.GetValueOrDefault(SlackChannel.RoutePlaceholder) is { } placeholder)
        {
            try
            {
                await api.UpdateAsync(channel, placeholder, message.Text, message.Blocks, cancellationToken);
                Log.ReplySent(logger, turn.IdempotencyKey, "chat.update", reply.Kind.ToString());
                return;
            }
            catch (SlackApiException ex) when (ex.Error is "message_not_found" or "cant_update_message")
            {
                // Someone deleted the placeholder: post the reply instead.
            }
        }

        if (reply.Kind == TurnReplyKind.Error && !channel.StartsWith('D'))
        {
            await api.PostEphemeralAsync(channel, turn.UserId, thread, message.Text, message.Blocks, cancellationToken);
            Log.ReplySent(logger, turn.IdempotencyKey, "chat.postEphemeral", reply.Kind.ToString());
            return;
        }

        var posted = await api.PostMessageAsync(channel, thread, message.Text, message.Blocks, cancellationToken);
        threads.Remember(posted.Channel, thread ?? posted.Ts);
        Log.ReplySent(logger, turn.IdempotencyKey, "chat.postMessage", reply.Kind.ToString());
    }
}
