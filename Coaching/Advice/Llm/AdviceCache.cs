using System.Security.Cryptography;
using System.Text;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// Advice already written for the same question, answer and provider, kept for a window so that a repeated
/// request (a retry, a double click) is not sent to the model again. Bounded; the oldest entry goes first.
/// </summary>
internal sealed class AdviceCache(TimeSpan window, int capacity, TimeProvider time)
{
    private readonly Dictionary<string, (CoachingAdvice Advice, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    public bool Enabled => window > TimeSpan.Zero;

    public static string Key(string provider, string model, AdviceRequest request)
    {
        // Everything the prompt is made of: the same words spoken again at another pace are a different request.
        var text = string.Join('\u001f', provider, model, request.Question.Id, request.Question.Text, request.Content.Document.Text,
            request.Delivery is null ? "" : System.Text.Json.JsonSerializer.Serialize(request.Delivery),
            request.Emotions is null ? "" : System.Text.Json.JsonSerializer.Serialize(request.Emotions),
            string.Join('\u001e', request.Knowledge.Select(k => k.ChunkId)));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public bool TryGet(string key, out CoachingAdvice advice)
    {
        advice = null!;
        if (!Enabled)
        {
            return false;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
            {
                advice = entry.Advice;
                return true;
            }

            return false;
        }
    }

    public void Set(string key, CoachingAdvice advice)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_entries.ContainsKey(key))
            {
                _order.Enqueue(key);
            }

            _entries[key] = (advice, now + window);
            while (_entries.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _entries.Remove(oldest);
            }

            // Keep the order queue from holding keys of entries already replaced or removed.
            while (_order.Count > capacity * 2 && _order.TryDequeue(out var stale))
            {
                if (_entries.TryGetValue(stale, out var e) && e.Expires > now)
                {
                    _order.Enqueue(stale);
                    break;
                }

                _entries.Remove(stale);
            }
        }
    }
}
