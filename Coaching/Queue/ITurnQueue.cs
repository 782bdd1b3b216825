using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Queue;

/// <summary>
/// A durable queue of turns. A turn is stored before the platform is acknowledged, processed at least once,
/// and de-duplicated by its idempotency key.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the architecture names this seam ITurnQueue.")]
public interface ITurnQueue
{
    /// <summary>Stores a turn. Returns false when a turn with the same idempotency key was already stored.</summary>
    Task<bool> EnqueueAsync(CoachingTurn turn, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a turn that the worker may not claim for <paramref name="hold"/>, while its adapter posts a placeholder;
    /// <see cref="ReleaseHeldAsync"/> hands it over sooner. Should the adapter never release it (a crash), the hold
    /// simply expires and the turn is processed anyway. Returns false for a duplicate idempotency key.
    /// </summary>
    Task<bool> EnqueueAsync(CoachingTurn turn, TimeSpan hold, CancellationToken cancellationToken);

    /// <summary>
    /// Adds reply routing (a placeholder's message id) to a held turn and makes it claimable now. Returns false when the
    /// turn was already claimed (its hold expired): the routing is then not added.
    /// </summary>
    Task<bool> ReleaseHeldAsync(string idempotencyKey, IReadOnlyDictionary<string, string> routing, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the next ready turn under a lease, or returns null when none is ready. A turn is not ready while an earlier
    /// turn of the same person (or of the same group round) is still pending or running, so several workers keep each
    /// person's order.
    /// </summary>
    Task<QueuedTurn?> ClaimAsync(CancellationToken cancellationToken);

    /// <summary>Stores the result of processing, so a retry after a crash sends it rather than redoing the work.</summary>
    Task SaveResultAsync(long id, string result, CancellationToken cancellationToken);

    /// <summary>Marks the turn done: its reply was delivered.</summary>
    Task CompleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>Records a failure. Returns true when the turn will be retried, false when it has failed for good.</summary>
    Task<bool> FailAsync(long id, string reason, CancellationToken cancellationToken);

    /// <summary>Marks a turn failed for good without a retry.</summary>
    Task AbandonAsync(long id, string reason, CancellationToken cancellationToken);

    /// <summary>Puts a claimed turn back without counting an attempt (the host is shutting down).</summary>
    Task ReleaseAsync(long id, CancellationToken cancellationToken);

    /// <summary>Returns turns left running by a process that stopped to the queue; returns how many.</summary>
    Task<int> RecoverAbandonedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Clears the stored answer and reply of turns finished before <paramref name="finishedBefore"/>, keeping their
    /// idempotency keys; returns how many were cleared.
    /// </summary>
    Task<int> ForgetFinishedAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken);

    /// <summary>Counts per status, for health checks.</summary>
    Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken);

    /// <summary>Completes when a turn may be ready: one was enqueued in this process, or <paramref name="timeout"/> passed.</summary>
    Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>A claimed turn.</summary>
/// <param name="Id">The queue id.</param>
/// <param name="Turn">The turn.</param>
/// <param name="Attempt">Which attempt this is, from 1.</param>
/// <param name="Result">The stored result of an earlier attempt, if processing finished before a crash.</param>
public sealed record QueuedTurn(long Id, CoachingTurn Turn, int Attempt, string? Result);

/// <summary>Queue settings.</summary>
public sealed class TurnQueueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Queue";

    /// <summary>Attempts before a turn fails for good and the user is told.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a claim lasts before another worker may take the turn over.</summary>
    [Range(10, 86_400)]
    public int LeaseSeconds { get; set; } = 600;

    /// <summary>Base delay before a retry; doubled at each attempt.</summary>
    [Range(0, 3_600)]
    public double RetryDelaySeconds { get; set; } = 2;

    /// <summary>How often the worker polls when nothing signals new work.</summary>
    [Range(0.05, 60)]
    public double PollSeconds { get; set; } = 1;

    /// <summary>Days a finished turn keeps its answer text and reply (for redelivery after a crash); then they are cleared.</summary>
    [Range(0, 3_650)]
    public int RetentionDays { get; set; } = 7;

    /// <summary>The longest a single turn may take before it is cancelled and counted as a failure.</summary>
    [Range(5, 3_600)]
    public int TurnTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Turns coached at once. One person's turns (and one group round's) are still coached one after another, in the
    /// order they arrived; different people's run side by side. 0, only with a database shared by several instances
    /// (PostgreSQL): this instance takes messages and serves streams but coaches nothing; the others' workers take its turns.
    /// </summary>
    [Range(0, 256)]
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The longest a worker waits, before it starts coaching a turn, while acknowledgements are being stored (a burst of
    /// platform events): acknowledging is the deadline that matters (Slack: 3 s), coaching follows. 0 turns this off.
    /// </summary>
    [Range(0, 10_000)]
    public int YieldToAcknowledgementsMilliseconds { get; set; } = 500;

    /// <summary>
    /// Names this instance in the leases it takes on a shared (PostgreSQL) queue. Set a name that survives a restart (a pod
    /// or host name) so that a restarted instance takes its own unfinished turns back at once; others wait for the lease
    /// to expire. Empty: a new name per host, shared by its queue, its scheduler lease and /healthz. One SQLite file has one host, so SQLite only reports it.
    /// </summary>
    [StringLength(200)]
    public string? InstanceId { get; set; }

    /// <summary>A new instance name: the machine, the process and a random part (used when <see cref="InstanceId"/> is empty).</summary>
    public static string NewInstanceName() => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>The longest a turn waits for its adapter's placeholder before the worker takes it anyway.</summary>
    [Range(0, 120)]
    public double PlaceholderHoldSeconds { get; set; } = 10;
}
