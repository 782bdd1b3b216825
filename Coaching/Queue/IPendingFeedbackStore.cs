namespace CoachBot.Coaching.Queue;

/// <summary>
/// Feedback a channel could not send privately yet (Teams: the member has not installed the app for themselves, so no
/// one-to-one chat can be made), kept as the channel's own message text until it can be sent, it expires, or the member
/// says "forget me". The payload is opaque here: the adapter that wrote it reads it.
/// </summary>
public interface IPendingFeedbackStore
{
    /// <summary>Keeps <paramref name="payload"/> for <paramref name="userId"/>; the same turn keeps one (the newest).</summary>
    Task AddAsync(string userId, string turnKey, string payload, CancellationToken cancellationToken);

    /// <summary>
    /// The member's kept feedback stored at or after <paramref name="keptSince"/>, oldest first; older feedback (of
    /// anyone) is deleted on the way.
    /// </summary>
    Task<IReadOnlyList<(string TurnKey, string Payload)>> ForUserAsync(string userId, DateTimeOffset keptSince, CancellationToken cancellationToken);

    /// <summary>Deletes the feedback stored before <paramref name="keptSince"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset keptSince, CancellationToken cancellationToken);

    /// <summary>Removes one kept feedback (it was sent), or all of a member's when <paramref name="turnKey"/> is null.</summary>
    Task RemoveAsync(string userId, string? turnKey, CancellationToken cancellationToken);
}
