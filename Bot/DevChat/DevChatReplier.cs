using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;

namespace CoachBot.Bot.DevChat;

/// <summary>The "dev" channel's replier: renders the reply as the Teams card and keeps it for the browser.</summary>
internal sealed class DevChatReplier(IDevChatLog conversations) : ITurnReplier
{
    public const string ChannelName = "dev";

    /// <summary>The dev chat's one tenant.</summary>
    public const string Tenant = "local";

    // The browser opens the recorder page itself, so "Record my answer" is always offered; article pages are on the
    // same host, so their links are relative to the page.
    public static readonly CardOptions Options = new(CanRecord: true, ArticleBaseUrl: string.Empty);

    public string Channel => ChannelName;

    public Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(reply);
        var questionId = reply.Question?.Id ?? reply.Report?.Question.Id;
        // A forgotten reply: the user's data is deleted, and the conversation kept for reloads goes with it (their confirmation stays).
        return conversations.AddReplyAsync(turn.ConversationId, turn.IdempotencyKey, reply.Kind.ToString(), reply.Text, questionId,
            AdaptiveCards.ForReply(reply, Options), reply.Forgotten, cancellationToken);
    }
}
