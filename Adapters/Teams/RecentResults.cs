using System.Collections.Concurrent;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Results of recently handled invokes, by activity: a redelivered <c>adaptiveCard/action</c> gets the card the
/// first delivery produced instead of running the command again (a second "next" would skip a question).
/// Entries live ten minutes; the map is bounded.
/// </summary>
internal sealed class RecentResults<T>(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, (Lazy<Task<T>> Result, DateTimeOffset At)> _entries = new(StringComparer.Ordinal);

    /// <summary>The result for <paramref name="key"/>: the one already started, or <paramref name="run"/>'s.</summary>
    public Task<T> GetOrRunAsync(string key, Func<Task<T>> run)
    {
        var now = time.GetUtcNow();
        if (_entries.Count > Capacity)
        {
            foreach (var old in _entries.Where(e => now - e.Value.At > Lifetime).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(old, out _);
            }
        }

        var entry = _entries.AddOrUpdate(
            key,
            _ => (new Lazy<Task<T>>(run), now),
            (_, existing) => now - existing.At > Lifetime ? (new Lazy<Task<T>>(run), now) : existing);
        return entry.Result.Value;
    }

    /// <summary>Forgets <paramref name="key"/>, so that a retry runs again (after a timeout or failure).</summary>
    public void Forget(string key) => _entries.TryRemove(key, out _);
}
