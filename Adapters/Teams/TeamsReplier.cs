using System.Net;
using CoachBot.Adapters.Teams.Cards;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Delivers replies in Teams. An answer first gets a placeholder message ("Listening to your answer…"); the reply
/// then replaces it with the card, so a delivery repeated after a crash updates the same message instead of posting
/// a second one. Without a placeholder (commands, buttons, recorder uploads) the card is posted as a new message.
/// </summary>
internal sealed class TeamsReplier(ConnectorClient connector, IOptions<TeamsOptions> options, ILogger<TeamsReplier> logger) : ITurnReplier
{
    public string Channel => TeamsChannel.Name;

    public CardOptions CardOptions => new(CanRecord: !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl));

    public async Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(reply);
        var route = RouteOf(turn);
        var activity = Activity.CardMessage(TeamsCards.ForReply(reply, CardOptions), Summary(reply.Text));
        if (turn.Reply.GetValueOrDefault(Routing.PlaceholderId) is { Length: > 0 } placeholder)
        {
            try
            {
                await connector.UpdateAsync(route, placeholder, activity, cancellationToken);
                return;
            }
            catch (ConnectorException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                // The placeholder was deleted or can no longer be edited: the user still gets the reply.
                Log.PlaceholderUpdateFailed(logger, placeholder, (int)ex.Status!);
            }
        }

        await connector.SendAsync(route, activity, turn.Reply.GetValueOrDefault(Routing.ReplyToId), cancellationToken);
    }

    /// <summary>
    /// The placeholder for a turn: typing, and for answers a message that the card replaces later. Commands and
    /// buttons are answered within a second or two, so they get the typing indicator only.
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
        var id = await connector.SendAsync(route, new Activity { Type = ActivityTypes.Message, Text = text }, turn.Reply.GetValueOrDefault(Routing.ReplyToId), cancellationToken);
        return id is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Routing.PlaceholderId] = id };
    }

    private static ConversationRoute RouteOf(CoachingTurn turn) =>
        turn.Reply.GetValueOrDefault(Routing.ServiceUrl) is { Length: > 0 } serviceUrl
            ? new ConversationRoute(serviceUrl, turn.Reply.GetValueOrDefault(Routing.ConversationId) ?? turn.ConversationId)
            : throw new InvalidOperationException($"The Teams turn {turn.IdempotencyKey} carries no service URL to reply to.");

    /// <summary>The notification preview: the reply's first line, shortened.</summary>
    private static string Summary(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 120 ? line : line[..117] + "…";
    }
}
