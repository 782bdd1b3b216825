namespace CoachBot.Coaching.Queue;

/// <summary>An entry of a conversation feed.</summary>
/// <param name="Id">Increasing within the feed's epoch, in the order the entries of one conversation were committed.</param>
/// <param name="TurnKey">The turn the entry belongs to.</param>
/// <param name="Role">What kind of entry it is, as the channel names it (the dev chat: <c>user</c> or <c>bot</c>).</param>
/// <param name="Content">What the channel stored (the dev chat: the entry as JSON).</param>
public sealed record FeedEntry(long Id, string TurnKey, string Role, string Content);

/// <summary>An entry to append to a conversation feed.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="TurnKey">The turn the entry belongs to.</param>
/// <param name="Role">What kind of entry it is.</param>
/// <param name="Content">What to keep; the feed does not read it.</param>
public sealed record FeedAppend(string ConversationId, string TurnKey, string Role, string Content)
{
    /// <summary>Removes the conversation's earlier entries of the same turn and role first (a reply delivered again).</summary>
    public bool ReplacesTurn { get; init; }

    /// <summary>Removes every other turn's entries of the conversation first (a confirmed "forget me").</summary>
    public bool ForgetsOthers { get; init; }
}

/// <summary>
/// The entries a browser conversation streams (the dev chat's messages and reply cards), kept where every instance of the
/// bot reads them: an entry appended by any instance (the one that took the browser's message, or the one whose worker
/// coached it) is read by the instance holding the browser's open stream, which is told at once. Providers for several
/// instances (PostgreSQL) register one; a single instance keeps its conversations in memory and registers none.
/// </summary>
public interface IConversationFeed
{
    /// <summary>Names the ids of this feed: a browser holding ids of another epoch (another database) starts over.</summary>
    Task<string> GetEpochAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends an entry and tells every instance. Keeps the conversation's newest <paramref name="keepEntries"/> entries,
    /// and now and then drops every conversation's entries older than <paramref name="keepFor"/>.
    /// </summary>
    /// <returns>The entry's id.</returns>
    Task<long> AppendAsync(FeedAppend entry, int keepEntries, TimeSpan keepFor, CancellationToken cancellationToken);

    /// <summary>The conversation's entries after <paramref name="afterId"/>, oldest first.</summary>
    Task<IReadOnlyList<FeedEntry>> ReadAfterAsync(string conversationId, long afterId, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="changed"/> with a conversation's id after any instance appended to it, or with null when
    /// any conversation may have changed unseen (the feed's listener reconnected). Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(Action<string?> changed);
}
