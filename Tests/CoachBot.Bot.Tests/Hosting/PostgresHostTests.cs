using System.Security.Cryptography;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using Npgsql;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>
/// Real host processes with <c>Storage:Provider=Postgres</c> on the test PostgreSQL: two started together migrate and
/// seed the built-in knowledge once between them, and either coaches a Slack answer (a fake Slack Web API on loopback)
/// with every store, the knowledge store included, in the shared database.
/// </summary>
public sealed partial class PostgresHostTests : IAsyncLifetime, IDisposable
{
    private const string AnswerTs = "1700000002.000002";
    private readonly TempFolder _folder = new();
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [PostgresFact]
    public async Task TwoHostsStartingTogether_SeedTheKnowledgeOnce_AndOneCoachesASlackAnswerCitingIt()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var starting = new[] { "instance-a", "instance-b" }.Select(name => RunningHost.StartAsync(Settings(storage, name))).ToList();
        await using var a = await starting[0];
        await using var b = await starting[1];
        await Until(() => a.Output.Contains("Knowledge store ready", StringComparison.Ordinal) && b.Output.Contains("Knowledge store ready", StringComparison.Ordinal),
            () => a.Output + "\n----\n" + b.Output);

        await SendAsync(b, SignedEvent(Message("start software-engineer", ts: "1700000001.000001", eventId: "Ev-start")));
        await Until(() => _slack.VisibleIn("D0001").Any(m => m.ThreadTs == "1700000001.000001" && m.Blocks is { Count: > 0 }), () => b.Output);
        await SendAsync(a, SignedEvent(Message(CliRun.Answer, ts: AnswerTs, eventId: "Ev-answer")));
        await Until(() => _slack.VisibleIn("D0001").Any(m => m.ThreadTs == AnswerTs && m.Blocks is { Count: > 0 } blocks && blocks.ToJsonString().Contains("Overall ", StringComparison.Ordinal)),
            () => a.Output + "\n----\n" + b.Output);

        var card = Assert.Single(_slack.VisibleIn("D0001"), m => m.ThreadTs == AnswerTs);
        Assert.StartsWith("Overall ", card.Blocks![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        // The advice points to an article of the knowledge store on PostgreSQL (its "Read" button).
        Assert.Contains("coach_article", card.Blocks.ToJsonString(), StringComparison.Ordinal);

        // One host embedded the built-in knowledge; the other waited for it and found every document unchanged.
        var seeded = new[] { a.Output, b.Output }.Select(o => SeedLine().Match(o)).ToList();
        Assert.All(seeded, m => Assert.True(m.Success, "no built-in knowledge line:\n" + a.Output + "\n----\n" + b.Output));
        Assert.Single(seeded, m => m.Groups["changed"].Value != "0");
        Assert.Single(seeded, m => m.Groups["changed"].Value == "0" && m.Groups["embedded"].Value == "0");
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM knowledge_documents", connection);
        Assert.Equal(int.Parse(seeded[0].Groups["documents"].Value, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(_folder.File("unused.db")));
    }

    private HostSettings Settings(TestStorage storage, string instance) =>
        HostSettings.Postgres(storage.PostgresConnectionString, instance, _signingKey, _folder.File("unused.db"), _folder.File("turns-" + instance))
            .WithSlack(_slack);

    private static async Task SendAsync(RunningHost host, HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the host answered {(int)response.StatusCode}");
    }

    private static Task Until(Func<bool> condition, Func<string> output) => Poll.UntilAsync(condition, output, TimeSpan.FromMinutes(10));

    [System.Text.RegularExpressions.GeneratedRegex(@"Built-in knowledge: (?<documents>\d+) documents, (?<changed>\d+) new or changed, (?<embedded>\d+) chunks embedded")]
    private static partial System.Text.RegularExpressions.Regex SeedLine();
}
