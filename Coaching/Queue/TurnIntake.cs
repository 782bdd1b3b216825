using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Queue;

/// <summary>Posts a "working on it" placeholder for a turn and returns the reply routing that points at it.</summary>
/// <param name="turn">The stored turn.</param>
/// <param name="cancellationToken">Cancelled when the host stops.</param>
/// <returns>Routing to add to the turn (for example the placeholder's message id), or an empty dictionary.</returns>
public delegate Task<IReadOnlyDictionary<string, string>> PlaceholderPoster(CoachingTurn turn, CancellationToken cancellationToken);

/// <summary>
/// Where adapters hand over a turn: the turn is stored (de-duplicated by its idempotency key) before the platform is
/// acknowledged, and the placeholder is posted afterwards in the background, so the acknowledgement never waits for a
/// platform API call. The worker does not take the turn until the placeholder is posted (or its hold expires), so the
/// reply always updates the placeholder instead of racing it.
/// </summary>
public interface ITurnIntake
{
    /// <summary>
    /// Stores the turn. Returns false for a duplicate (nothing else happens). When <paramref name="placeholder"/> is
    /// given, it runs after this method returns, and its routing is added to the turn before the worker sees it.
    /// </summary>
    Task<bool> SubmitAsync(CoachingTurn turn, PlaceholderPoster? placeholder, CancellationToken cancellationToken);

    /// <summary>Completes when every placeholder started so far has been posted or has failed (for shutdown and tests).</summary>
    Task WhenIdleAsync();

    /// <summary>
    /// Completes when no turn is being handed in (none stored or arrived in the last few milliseconds), or after
    /// <see cref="TurnQueueOptions.YieldToAcknowledgementsMilliseconds"/> at most. The worker waits for it before it
    /// starts coaching a turn, so a burst of acknowledgements gets the processor first and coaching follows.
    /// </summary>
    Task WhenQuietAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the placeholder of the turn <paramref name="idempotencyKey"/> is no longer being posted by this process
    /// (posted, failed, given up, or never started), so a reply is never sent while its placeholder is still in flight.
    /// </summary>
    Task WhenPlaceholderSettledAsync(string idempotencyKey);
}

internal sealed class TurnIntake(ITurnQueue queue, IOptions<TurnQueueOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<TurnIntake> logger) : ITurnIntake, IDisposable
{
    // Arrivals closer together than this count as one burst.
    private static readonly TimeSpan QuietAfter = TimeSpan.FromMilliseconds(20);

    // SQLite calls block their thread while the database is busy; a burst of hundreds of placeholders at once would
    // tie up the thread pool and delay the acknowledgements themselves, so only a few post at a time (the rest wait
    // without holding a thread).
    private const int ConcurrentPlaceholders = 4;

    private readonly ConcurrentDictionary<string, Task> _posting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(ConcurrentPlaceholders, ConcurrentPlaceholders);
    private int _storing;
    private long _lastHandedIn = long.MinValue;

    public async Task<bool> SubmitAsync(CoachingTurn turn, PlaceholderPoster? placeholder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        Interlocked.Increment(ref _storing);
        Volatile.Write(ref _lastHandedIn, time.GetTimestamp());
        try
        {
            return await StoreAsync(turn, placeholder, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _lastHandedIn, time.GetTimestamp());
            Interlocked.Decrement(ref _storing);
        }
    }

    public async Task WhenQuietAsync(CancellationToken cancellationToken)
    {
        var longest = TimeSpan.FromMilliseconds(options.Value.YieldToAcknowledgementsMilliseconds);
        var waiting = time.GetTimestamp();
        while (Volatile.Read(ref _storing) > 0 || (Volatile.Read(ref _lastHandedIn) is var last && last != long.MinValue && time.GetElapsedTime(last) < QuietAfter))
        {
            if (time.GetElapsedTime(waiting) >= longest)
            {
                return;
            }

            await Task.Delay(QuietAfter, time, cancellationToken);
        }
    }

    private async Task<bool> StoreAsync(CoachingTurn turn, PlaceholderPoster? placeholder, CancellationToken cancellationToken)
    {
        var hold = TimeSpan.FromSeconds(options.Value.PlaceholderHoldSeconds);
        if (placeholder is null || hold == TimeSpan.Zero)
        {
            return await queue.EnqueueAsync(turn, cancellationToken);
        }

        if (!await queue.EnqueueAsync(turn, hold, cancellationToken))
        {
            return false;
        }

        var deadline = time.GetUtcNow() + hold;
        var posting = Task.Run(() => PostAndReleaseAsync(turn, placeholder, deadline), CancellationToken.None);
        _posting[turn.IdempotencyKey] = posting;
        _ = posting.ContinueWith(_ => _posting.TryRemove(turn.IdempotencyKey, out var _), TaskScheduler.Default);
        return true;
    }

    public Task WhenIdleAsync() => Task.WhenAll(_posting.Values);

    public Task WhenPlaceholderSettledAsync(string idempotencyKey) =>
        _posting.TryGetValue(idempotencyKey, out var posting) ? posting : Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    private async Task PostAndReleaseAsync(CoachingTurn turn, PlaceholderPoster placeholder, DateTimeOffset deadline)
    {
        try
        {
            await _gate.WaitAsync(lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await PostAndReleaseGatedAsync(turn, placeholder, deadline);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PostAndReleaseGatedAsync(CoachingTurn turn, PlaceholderPoster placeholder, DateTimeOffset deadline)
    {
        IReadOnlyDictionary<string, string> routing = new Dictionary<string, string>();
        if (time.GetUtcNow() >= deadline)
        {
            // The hold ran out while this placeholder waited its turn (a burst): the worker may be replying already, and a
            // placeholder posted now would only sit beside the card.
            Log.PlaceholderLate(logger, turn.Channel, turn.IdempotencyKey);
            return;
        }

        try
        {
            // Not cut off when the hold runs out: a post cancelled mid-flight may still reach the platform, and the worker
            // waits for this one to settle before replying, so its message id is known and replaced.
            routing = await placeholder(turn, lifetime.ApplicationStopping);
        }
#pragma warning disable CA1031 // A placeholder is a courtesy: whatever breaks it, the turn is still coached and answered.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PlaceholderFailed(logger, ex, turn.Channel, turn.IdempotencyKey);
        }

        try
        {
            if (!await queue.ReleaseHeldAsync(turn.IdempotencyKey, routing, CancellationToken.None))
            {
                Log.PlaceholderLate(logger, turn.Channel, turn.IdempotencyKey);
            }
        }
#pragma warning disable CA1031 // The hold expires on its own; the turn is not lost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PlaceholderFailed(logger, ex, turn.Channel, turn.IdempotencyKey);
        }
    }
}
