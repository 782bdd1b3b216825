using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Groups;

/// <summary>
/// The group scheduler's lease: of several instances sharing one database, the one holding it wraps overdue rounds and
/// starts the question of the day; the others wait. A holder that stops renewing (it died) loses it when it runs out.
/// </summary>
public interface ISchedulerLease
{
    /// <summary>The name this instance holds the lease under.</summary>
    string Owner { get; }

    /// <summary>
    /// Takes the lease for <paramref name="duration"/> from now, or renews it when this instance holds it already;
    /// false while another instance holds a lease that has not run out.
    /// </summary>
    Task<bool> TryHoldAsync(TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up, if this instance holds it, so another instance may take it at once (a clean shutdown).</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}
