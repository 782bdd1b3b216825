using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.Groups;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack;

/// <summary>
/// Delivers replies in Slack through <see cref="SlackDelivery"/>: the card replaces the placeholder (chat.update), and a
/// delivery repeated after a crash updates, or finds by its metadata, the message already posted instead of posting
/// twice. Without a placeholder it posts in the thread; an error with nothing to replace goes only to the user
/// (chat.postEphemeral) when it was asked outside a direct message.
/// Group rounds have their own rules (<see cref="SlackGroupReplier"/>).
/// </summary>
internal sealed class SlackReplier(SlackWebApi api, SlackDelivery delivery, SlackThreads threads, SlackGroupReplier groups, ILogger<SlackReplier> logger) : ITurnReplier
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
        var placeholder = turn.Reply.GetValueOrDefault(SlackChannel.RoutePlaceholder);
        if (reply.Kind == TurnReplyKind.Error && !channel.StartsWith('D') && placeholder is null
            && !await delivery.HasStartedAsync(turn.IdempotencyKey, DeliverySlots.Main, cancellationToken))
        {
            await api.PostEphemeralAsync(channel, turn.UserId, thread, message.Text, message.Blocks, cancellationToken);
            Log.ReplySent(logger, turn.IdempotencyKey, "chat.postEphemeral", reply.Kind.ToString());
            return;
        }

        var (posted, method) = await delivery.DeliverAsync(turn.IdempotencyKey, DeliverySlots.Main, channel, thread, placeholder, message, cancellationToken);
        threads.Remember(posted.Channel, thread ?? posted.Ts);
        Log.ReplySent(logger, turn.IdempotencyKey, method, reply.Kind.ToString());
    }
}
