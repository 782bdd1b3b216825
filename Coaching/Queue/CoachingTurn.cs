using System.Text.Json.Serialization;

namespace CoachBot.Coaching.Queue;

/// <summary>What a turn asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TurnIntent>))]
public enum TurnIntent
{
    /// <summary>An answer to the current question, typed or spoken.</summary>
    Answer,

    /// <summary>A text command such as <c>next</c> or <c>progress</c>.</summary>
    Command,

    /// <summary>A button pressed on a card (next question, try again, hint).</summary>
    CardAction,
}

/// <summary>A recorded answer: where to fetch it and what the platform said it is.</summary>
/// <param name="Location">A local path or a URL.</param>
/// <param name="MimeType">The declared media type, e.g. <c>audio/mp4</c>; not trusted.</param>
/// <param name="FileName">The declared file name, if any.</param>
/// <param name="SizeBytes">The declared size, if known.</param>
public sealed record AudioReference(string Location, string? MimeType, string? FileName, long? SizeBytes);

/// <summary>
/// One user action from any channel, in a channel-neutral shape: who, where, what, and the intent.
/// Adapters fill <see cref="Reply"/> with what they need to answer later (a placeholder message id, a service URL);
/// the coaching core never reads it.
/// </summary>
public sealed record CoachingTurn
{
    /// <summary>slack, teams, dev or cli.</summary>
    public required string Channel { get; init; }

    /// <summary>The Slack workspace or Teams tenant, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>The user's id on the channel.</summary>
    public required string UserId { get; init; }

    /// <summary>The conversation (DM, channel, group chat) the turn came from.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The thread, where the channel has threads.</summary>
    public string? ThreadId { get; init; }

    /// <summary>Whether the conversation is a one-to-one chat with the bot (group rounds need a channel or group chat).</summary>
    public bool IsDirect { get; init; }

    /// <summary>What the turn asks for.</summary>
    public required TurnIntent Intent { get; init; }

    /// <summary>The answer or command text.</summary>
    public string? Text { get; init; }

    /// <summary>A recorded answer, when spoken.</summary>
    public AudioReference? Audio { get; init; }

    /// <summary>
    /// A document the user sent in a direct chat (a résumé or a job description, for an interview plan): where it lives,
    /// as for <see cref="Audio"/>. It is read for facts and deleted.
    /// </summary>
    public AudioReference? Document { get; init; }

    /// <summary>
    /// Set only by the bot's own upload endpoint: <see cref="Audio"/> names a file in the recording store. A turn from a
    /// platform never has it, so a message cannot point the bot at somebody else's stored recording.
    /// </summary>
    public bool FromRecorder { get; init; }

    /// <summary>The question the turn refers to (a card action or an answer to a specific question).</summary>
    public string? QuestionId { get; init; }

    /// <summary>The card action (next, retry, hint), when <see cref="Intent"/> is a card action.</summary>
    public string? Action { get; init; }

    /// <summary>A key unique per platform event: the same event never produces two replies.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>When the platform delivered the turn.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The group round whose thread the turn came from, when it did (the adapter looks it up by thread).</summary>
    public long? RoundId { get; init; }

    /// <summary>Whether the sender administers the workspace or team (may run any round's facilitator commands).</summary>
    public bool SenderIsAdmin { get; init; }

    /// <summary>Channel-specific routing for the reply; opaque to the coaching core.</summary>
    public IReadOnlyDictionary<string, string> Reply { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Reply routing that outlives one turn. A placeholder's routing (its message id) belongs to the turn that posted it;
/// a group round or schedule that stores a turn's routing for later messages must not carry it, or a later summary
/// would overwrite that old placeholder.
/// </summary>
public static class TurnRouting
{
    /// <summary>The routing entry that lists the keys a placeholder added.</summary>
    public const string PlaceholderKeys = "coachbot.placeholderKeys";

    /// <summary>
    /// The prefix of routing entries about the sender (a display name): they serve this turn's reply only and are never
    /// stored with a round or schedule, so "forget me" has nothing of theirs left to find there.
    /// </summary>
    public const string SenderPrefix = "sender.";

    /// <summary>The routing without the placeholder's keys and the sender's details.</summary>
    public static IReadOnlyDictionary<string, string> Durable(IReadOnlyDictionary<string, string> routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var transient = new HashSet<string>(
            (routing.GetValueOrDefault(PlaceholderKeys) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
        {
            PlaceholderKeys,
        };
        return routing
            .Where(r => !transient.Contains(r.Key) && !r.Key.StartsWith(SenderPrefix, StringComparison.Ordinal))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }
}
