using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Bot.Tests.Support;

/// <summary>
/// Waiting on a condition in the host-process tests: polled, generous (a loaded machine may take minutes to start a host
/// and coach), and never a timing assertion — only a give-up point with the host's output in the failure message.
/// </summary>
public static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds, giving up after <paramref name="within"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, Func<string> output, TimeSpan within, int everyMilliseconds = 50)
    {
        var giveUp = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "gave up waiting; host output:\n" + output());
            await Task.Delay(everyMilliseconds);
        }
    }

    /// <summary>Waits until the host's queue has nothing pending or running: whatever it was going to send, it has sent.</summary>
    public static async Task UntilIdleAsync(RunningHost host, TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var giveUp = DateTime.UtcNow + within;
        while (true)
        {
            var queue = (await client.GetFromJsonAsync<JsonObject>("/healthz"))!["queue"]!;
            if ((int)queue["pending"]! + (int)queue["running"]! == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < giveUp, "gave up waiting for the queue to empty; host output:\n" + host.Output);
            await Task.Delay(100);
        }
    }
}
