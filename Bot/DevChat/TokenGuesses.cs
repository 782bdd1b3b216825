using System.Collections.Concurrent;

namespace CoachBot.Bot.DevChat;

/// <summary>
/// Wrong dev chat access tokens, counted per client address as a token bucket: a client may be wrong
/// <see cref="Burst"/> times in a row, then one more guess is allowed every <see cref="Refill"/>; until then every
/// request of that client that needs the token is answered 429 without looking at it. Time comes from the injected
/// <see cref="TimeProvider"/>. Another burst and refill can be given (the bucket of all clients behind one local proxy).
/// </summary>
internal sealed class TokenGuesses(TimeProvider time, int burst = TokenGuesses.Burst, TimeSpan? refill = null)
{
    public const int Burst = 10;
    public static readonly TimeSpan Refill = TimeSpan.FromSeconds(6);

    private readonly TimeSpan _refill = refill ?? Refill;
    private const int MaxClients = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _clients = new(StringComparer.Ordinal);

    /// <summary>How long the client must wait before its next guess, or null when it may guess now.</summary>
    public TimeSpan? WaitFor(string client)
    {
        if (!_clients.TryGetValue(client, out var bucket))
        {
            return null;
        }

        lock (bucket)
        {
            var now = time.GetUtcNow();
            bucket.Refresh(now);
            return bucket.Tokens >= 1 ? null : bucket.Updated + _refill - now;
        }
    }

    /// <summary>Counts one wrong token from the client.</summary>
    public void Wrong(string client)
    {
        if (_clients.Count >= MaxClients)
        {
            Forget();
        }

        var now = time.GetUtcNow();
        var bucket = _clients.GetOrAdd(client, _ => new Bucket(burst, now, _refill) { Tokens = burst });
        lock (bucket)
        {
            bucket.Refresh(now);
            bucket.Tokens = Math.Max(0, bucket.Tokens - 1);
        }
    }

    /// <summary>Drops the clients whose buckets have filled up again, so a flood of addresses cannot grow memory for good.</summary>
    private void Forget()
    {
        var now = time.GetUtcNow();
        foreach (var (client, bucket) in _clients)
        {
            lock (bucket)
            {
                bucket.Refresh(now);
                if (bucket.Tokens >= burst)
                {
                    _clients.TryRemove(client, out _);
                }
            }
        }
    }

    private sealed class Bucket(int burst, DateTimeOffset updated, TimeSpan refill)
    {
        public int Tokens { get; set; }

        public DateTimeOffset Updated { get; private set; } = updated;

        public void Refresh(DateTimeOffset now)
        {
            if (now <= Updated)
            {
                return;
            }

            var earned = (int)Math.Min(burst, (now - Updated) / refill);
            if (Tokens >= burst)
            {
                Updated = now;
            }
            else if (earned > 0)
            {
                Tokens = Math.Min(burst, Tokens + earned);
                Updated = Tokens >= burst ? now : Updated + (refill * earned);
            }
        }
    }
}
