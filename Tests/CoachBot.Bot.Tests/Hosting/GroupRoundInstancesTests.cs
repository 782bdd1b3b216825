using System.Globalization;
using System.Security.Cryptography;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using Npgsql;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// A Slack group round on two real host processes sharing one PostgreSQL database: the round is started through
/// instance A, which holds the group scheduler's lease, a member answers, and A is killed with SIGKILL before the
/// round's deadline. Instance B takes the lease over once it runs out and wraps the round at its deadline: one summary
/// in the round's thread.
/// </summary>
/// <remarks>
/// Host processes cannot share a fake clock, so the deadline is real: <c>deadline=2m</c> on the round (the command takes
/// 1m at the least; two leave a loaded machine time to start the round and coach the answer before the kill) and
/// <c>Groups:CheckSeconds=1</c>, so the scheduler's lease (three checks) runs out 3 s after A dies.
/// </remarks>
public sealed class GroupRoundInstancesTests : IAsyncLifetime, IDisposable
{
    private const string Channel = "C0001";
    private const string Facilitator = "UFAC0001";
    private const string Ana = "UAAA0001";
    private static readonly string[] Placeholders = ["Reading your answer…", "Listening to your answer…", "One moment…"];
    private readonly TempFolder _folder = new();
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [PostgresFact]
    public async Task RoundStartedOnAKilledInstance_TheOtherWrapsItAtItsDeadline_OneSummary()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        RunningHost? a = null;
        try
        {
            a = await RunningHost.StartAsync(Settings(storage, "instance-a"));
            // A holds the scheduler's lease before B starts, so the deadline can only be B's after A is gone.
            await Until(async () => await LeaseOwnerAsync(storage) == "instance-a", () => a.Output);
            await using var b = await RunningHost.StartAsync(Settings(storage, "instance-b"));

            var command = Form(Command("group questions=1 deadline=2m", user: Facilitator, channel: Channel, trigger: "trig-round"));
            await SendAsync(a, SignedRequest("/slack/commands", command, "application/x-www-form-urlencoded"));
            SlackPosted? card = null;
            await Until(
                () => Task.FromResult((card = _slack.VisibleIn(Channel).FirstOrDefault(m => m.ThreadTs is null && m.Blocks is { Count: > 0 } && !Placeholders.Contains(m.Text))) is not null),
                () => a.Output + "\n----\n" + b.Output);
            var root = card!.Ts;
            // The round knows its thread once the card's post came back (on whichever instance ran the command).
            await Until(() => Task.FromResult((a.Output + b.Output).Contains("answered with a GroupRound reply", StringComparison.Ordinal)), () => a.Output + "\n----\n" + b.Output);

            await SendAsync(a, SignedEvent(Message(CliRun.Answer, user: Ana, channel: Channel, channelType: "channel", ts: "1710000000.000002", threadTs: root, eventId: "Ev-ana")));
            // Coached before the kill (whichever instance took it), so nothing of A's is left for a queue lease to free.
            await Until(() => Task.FromResult(_slack.VisibleIn(Ana).Count > 0 && Acknowledgements(root).Count > 0), () => a.Output + "\n----\n" + b.Output);
            await Until(async () => await UnfinishedAsync(storage) == 0, () => a.Output + "\n----\n" + b.Output);

            var (status, deadline) = await RoundAsync(storage);
            Assert.True(status == "open" && await LeaseOwnerAsync(storage) == "instance-a",
                $"before the kill the round must be open ({status}, deadline {deadline:O}) and A must hold the lease ({await LeaseOwnerAsync(storage)}): "
                + "the machine took the whole deadline to start the round and coach one answer\n" + a.Output);
            var killedOutput = a.Output;
            await a.DisposeAsync(); // SIGKILL: A neither gives its lease up nor wraps anything.
            a = null;

            // Generous: B takes the lease once it runs out, then the deadline passes and the wrap is queued and posted.
            await Until(() => Task.FromResult(Summaries(root).Count > 0), () => killedOutput + "\n---- B ----\n" + b.Output, minutes: 10);
            await Until(async () => await UnfinishedAsync(storage) == 0, () => b.Output);

            var summary = Assert.Single(Summaries(root));
            Assert.Contains("Answers", summary.Blocks!.ToJsonString(), StringComparison.Ordinal);
            // The instance logs the reply after the platform's answer to the post, which the fake counted already.
            await Until(() => Task.FromResult(b.Output.Contains("answered with a GroupSummary reply", StringComparison.Ordinal)), () => b.Output);
            Assert.DoesNotContain("answered with a GroupSummary reply", killedOutput, StringComparison.Ordinal);
            Assert.Equal("wrapped", (await RoundAsync(storage)).Status);
            Assert.Equal("instance-b", await LeaseOwnerAsync(storage));
            var thread = _slack.VisibleIn(Channel).Where(m => m.ThreadTs == root).ToList();
            Assert.True(thread.Count == 2, $"the round's thread shows {thread.Count} messages: {string.Join(" | ", thread.Select(m => m.Text))}\n{b.Output}");
            Assert.Single(_slack.VisibleIn(Ana));
            Assert.DoesNotContain(_slack.Visible, m => Placeholders.Contains(m.Text));
        }
        finally
        {
            if (a is not null)
            {
                await a.DisposeAsync();
            }
        }
    }

    private HostSettings Settings(TestStorage storage, string instance) =>
        HostSettings.Postgres(storage.PostgresConnectionString, instance, _signingKey, _folder.File("unused.db"), _folder.File("turns-" + instance))
            .WithSlack(_slack)
            .With("Groups:CheckSeconds", "1");

    private List<SlackPosted> Acknowledgements(string root) =>
        [.. _slack.VisibleIn(Channel).Where(m => m.ThreadTs == root && m.Text == GroupMessages.Acknowledgement(1))];

    private List<SlackPosted> Summaries(string root) =>
        [.. _slack.VisibleIn(Channel).Where(m => m.ThreadTs == root && m.Text.StartsWith("Round wrapped up", StringComparison.Ordinal))];

    private static async Task<string?> LeaseOwnerAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT owner FROM leases WHERE name = 'group-scheduler'", connection);
        return await command.ExecuteScalarAsync() as string;
    }

    private static async Task<(string? Status, DateTime Deadline)> RoundAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, deadline FROM group_rounds", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no group round was stored");
        return (reader.GetString(0), reader.GetDateTime(1));
    }

    private static async Task<long> UnfinishedAsync(TestStorage storage)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM turns WHERE status IN ('pending', 'running')", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task SendAsync(RunningHost host, HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the host answered {(int)response.StatusCode}");
    }

    private static async Task Until(Func<Task<bool>> condition, Func<string> output, int minutes = 10)
    {
        // Generous: a loaded machine may take minutes to start two hosts and coach; nothing here is timed.
        var giveUp = DateTime.UtcNow.AddMinutes(minutes);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "gave up waiting; host output:\n" + output());
            await Task.Delay(100);
        }
    }

    private static Task Until(Func<bool> condition, Func<string> output) => Until(() => Task.FromResult(condition()), output);
}
