namespace CoachBot.Coaching.Queue;

/// <summary>
/// Where a turn's messages went. Each message a turn shows (its placeholder, then the card that replaces it; a round
/// member's private report) has a slot; the slot is written before the platform is called and its message id right
/// after, so a delivery repeated after a crash updates the message it already posted, or, when the crash came while the
/// call was in flight, knows to look for it on the platform before posting again.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Starts (or resumes) a slot. A new slot is stored (<see cref="DeliveryState.New"/>) before anything is sent,
    /// unless <paramref name="knownMessageId"/> names a message already posted for it (a placeholder id carried in the
    /// turn's routing). An existing slot is returned as it is, with its own conversation and thread.
    /// </summary>
    Task<DeliveryRecord> BeginAsync(string turnKey, string slot, string conversation, string? thread, string? knownMessageId, CancellationToken cancellationToken);

    /// <summary>The slot as stored, or null when nothing was ever started for it.</summary>
    Task<DeliveryRecord?> FindAsync(string turnKey, string slot, CancellationToken cancellationToken);

    /// <summary>Stores the id of the message the slot was posted as (or moved to).</summary>
    Task RecordAsync(string turnKey, string slot, string conversation, string messageId, CancellationToken cancellationToken);

    /// <summary>Removes a slot whose post the platform refused: nothing was posted, so nothing needs finding later.</summary>
    Task ForgetAsync(string turnKey, string slot, CancellationToken cancellationToken);
}

/// <summary>What is known about one slot.</summary>
public enum DeliveryState
{
    /// <summary>Started just now by this call: nothing can have been posted yet.</summary>
    New,

    /// <summary>Started earlier and never finished: a post may have reached the platform (a crash while it was in flight).</summary>
    InDoubt,

    /// <summary>Posted: <see cref="DeliveryRecord.MessageId"/> names the message.</summary>
    Posted,
}

/// <summary>One slot of a turn's delivery.</summary>
/// <param name="TurnKey">The turn's idempotency key.</param>
/// <param name="Slot">Which of the turn's messages: <see cref="DeliverySlots"/>.</param>
/// <param name="Conversation">Where it was (or is being) posted.</param>
/// <param name="Thread">The thread it was (or is being) posted in, if any.</param>
/// <param name="MessageId">The platform's message id, once known.</param>
/// <param name="StartedAt">When the first post was started (a lower bound for looking it up).</param>
/// <param name="State">What this means for the caller.</param>
public sealed record DeliveryRecord(string TurnKey, string Slot, string Conversation, string? Thread, string? MessageId, DateTimeOffset StartedAt, DeliveryState State);

/// <summary>The slots of a turn's delivery.</summary>
public static class DeliverySlots
{
    /// <summary>The turn's reply in its conversation: the placeholder, then the card (or acknowledgement) that replaces it.</summary>
    public const string Main = "main";

    /// <summary>A round member's report, sent privately.</summary>
    public const string Private = "private";

    /// <summary>The note in a round's thread that a member's feedback waits in their chat.</summary>
    public const string Consent = "consent";

    /// <summary>A round's question card: the new post that starts the round's thread, or the next question in it.</summary>
    public const string Round = "round";
}
