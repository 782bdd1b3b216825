using System.Collections.Concurrent;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;

namespace CoachBot.Bot.Tests.Support;

/// <summary>A channel that records every reply it is asked to deliver; optionally hangs on the first one.</summary>
public sealed class RecordingReplier(string channel = "test", bool hangOnFirst = false) : ITurnReplier
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public string Channel { get; } = channel;

    public ConcurrentQueue<(CoachingTurn Turn, TurnReply Reply)> Replies { get; } = new();

    /// <summary>Completes when delivery was first attempted.</summary>
    public Task Entered => _entered.Task;

    public async Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        if (hangOnFirst && Interlocked.Increment(ref _calls) == 1)
        {
            // Stands for a slow platform call that is still running when the host stops.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        Replies.Enqueue((turn, reply));
    }

    /// <summary>Waits until <paramref name="count"/> replies were delivered, or fails after a generous time.</summary>
    public async Task WaitForAsync(int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Replies.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {Replies.Count} of {count} replies arrived");
            await Task.Delay(20);
        }
    }
}
