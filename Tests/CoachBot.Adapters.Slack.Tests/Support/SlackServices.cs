using CoachBot.Coaching.Tests.Support;
using System.Collections.Concurrent;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.Tests.Support;

/// <summary>An intake that records the turns handed over (de-duplicated like the real one) and runs their placeholders.</summary>
public sealed class RecordingIntake : ITurnIntake
{
    private readonly ConcurrentDictionary<string, CoachingTurn> _turns = new(StringComparer.Ordinal);

    public ConcurrentQueue<CoachingTurn> Turns { get; } = new();

    public async Task<bool> SubmitAsync(CoachingTurn turn, PlaceholderPoster? placeholder, CancellationToken cancellationToken)
    {
        if (!_turns.TryAdd(turn.IdempotencyKey, turn))
        {
            return false;
        }

        Turns.Enqueue(turn);
        if (placeholder is not null)
        {
            await placeholder(turn, cancellationToken);
        }

        return true;
    }

    public Task WhenIdleAsync() => Task.CompletedTask;

    public Task WhenQuietAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WhenPlaceholderSettledAsync(string idempotencyKey) => Task.CompletedTask;

    public async Task WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Turns.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {Turns.Count} of {count} turns arrived");
            await Task.Delay(20);
        }
    }
}

/// <summary>The Slack adapter's services over a recording intake, with the settings a test gives.</summary>
public static class SlackServices
{
    public static IHost Build(RecordingIntake intake, params (string Key, string? Value)[] settings) => Build(intake, new ThreadRounds(), settings);

    public static IHost Build(RecordingIntake intake, ThreadRounds rounds, params (string Key, string? Value)[] settings) =>
        Build(intake, rounds, TimeProvider.System, settings);

    /// <summary>The adapter reading <paramref name="time"/> (a <see cref="FakeClock"/> keeps its time budgets from running out).</summary>
    public static IHost Build(RecordingIntake intake, ThreadRounds rounds, TimeProvider time, params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Development" });
        builder.Services.AddSingleton(time);
        builder.Logging.ClearProviders();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values[key] = value; // later settings win
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.AddSlack();
        builder.Services.AddSingleton<ITurnIntake>(intake);
        builder.Services.AddSingleton<CoachBot.Coaching.Groups.IGroupRounds>(rounds);
        return builder.Build();
    }

    public static (string, string?)[] Against(FakeSlack fake, params (string, string?)[] more) =>
    [
        ("Slack:BotToken", "xoxb-test"),
        ("Slack:SigningSecret", SlackPayloads.Secret),
        ("Slack:ApiBaseUrl", fake.ApiBaseUrl.ToString()),
        ("Slack:AdditionalFileHosts:0", "127.0.0.1"),
        .. more,
    ];
}
