using System.Collections.Concurrent;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;

namespace CoachBot.Bot.Tests.Support;

/// <summary>The real turn processor, recording each reply it produced (by idempotency key) for assertions.</summary>
public sealed class RecordingProcessor(ITurnProcessor inner) : ITurnProcessor
{
    public ConcurrentDictionary<string, TurnReply> Replies { get; } = new(StringComparer.Ordinal);

    public int Calls => _calls;

    private int _calls;

    public async Task<TurnReply> ProcessAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var reply = await inner.ProcessAsync(turn, cancellationToken);
        Replies[turn.IdempotencyKey] = reply;
        return reply;
    }
}
