namespace CoachBot.Coaching.Queue;

/// <summary>
/// Claims on platform requests that must be answered once across every instance sharing the database (a Teams card
/// button's invoke, an install's welcome card), with the answer kept for a redelivery. A claim lives until it expires;
/// expired claims are swept as new ones are made.
/// </summary>
public interface IInvokeClaims
{
    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="lifetime"/>. True: this instance answers it. False: another
    /// claim is alive, and <c>Result</c> is its stored answer, or null while that instance is still working.
    /// </summary>
    Task<(bool Claimed, string? Result)> ClaimAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Stores the answer of a claim this instance holds, for redeliveries to any instance.</summary>
    Task CompleteAsync(string key, string result, CancellationToken cancellationToken);

    /// <summary>Gives a claim up (its work failed), so that a retry on any instance runs again.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
