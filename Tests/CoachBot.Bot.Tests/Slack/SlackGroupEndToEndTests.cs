using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Slack;

/// <summary>Group rounds in Slack, end to end: the real host, signed requests in, a fake Slack on 127.0.0.1 out.</summary>
public sealed partial class SlackGroupEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Channel = "C0001";
    private const string Facilitator = "UFAC0001";
    private const string Ana = "UAAA0001";
    private const string Ben = "UBBB0002";
    private const string Cai = "UCCC0003";

    private const string OtherAnswer =
        "In my previous role I noticed our onboarding took three weeks. I wrote a checklist, paired every new hire with a buddy " +
        "and measured time to first commit. As a result onboarding dropped to eight days and I shared the template with two teams.";

    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;
    private int _ts;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private CoachBotFactory Host(TimeSpan? clockAhead = null)
    {
        var factory = new CoachBotFactory(_folder.File("slack-group.db"))
            .WithSetting("Slack:SigningSecret", Secret)
            .WithSetting("Slack:BotToken", "xoxb-test")
            .WithSetting("Slack:ApiBaseUrl", _slack.ApiBaseUrl.ToString())
            .WithSetting("Slack:AdditionalFileHosts:0", "127.0.0.1")
            .WithSetting("Groups:CheckSeconds", "1");
        return clockAhead is { } ahead ? factory.WithServices(s => s.AddSingleton<TimeProvider>(new ClockAhead(ahead))) : factory;
    }

    [Fact]
    public async Task Round_ThreeMembersAnswerThenFacilitatorWraps_PrivateFeedbackAndASummaryWithTheirAverages()
    {
        // A Slack voice clip: AAC in MP4, made from the shared JFK recording.
        var clip = TestData.Encode(TestData.JfkWav, _folder.File("audio_message.mp4"), "-c:a", "aac", "-b:a", "64k", "-f", "mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        var url = _slack.AddFile("F0001/audio_message.mp4", bytes);
        await using var factory = Host();
        using var client = factory.CreateClient();
        var rounds = factory.Services.GetRequiredService<IGroupRounds>();

        // The round card is posted in the channel, and its ts is the round's thread.
        var (root, round) = await StartRoundAsync(client, rounds, "group questions=1");
        var card = _slack.CallsTo("chat.update").Single(c => c.Body["ts"]!.GetValue<string>() == root);
        Assert.Equal(Channel, card.Body["channel"]!.GetValue<string>());
        Assert.Contains("reply in this thread", Json(card.Body["blocks"]!), StringComparison.Ordinal);
        Assert.Contains($"<@{Facilitator}>", Json(card.Body["blocks"]!), StringComparison.Ordinal);

        // Three members answer in the thread, one of them with a voice clip; none mentions the bot.
        await client.SendAsync(SignedEvent(InThread(CliRun.Answer, Ana, root)));
        await WaitForAcknowledgementAsync(Ana, 1);
        await client.SendAsync(SignedEvent(InThread(OtherAnswer, Ben, root)));
        await WaitForAcknowledgementAsync(Ben, 2);
        var ts = NextTs();
        await client.SendAsync(SignedEvent(VoiceClip(url, bytes.Length, ts: ts, eventId: "Ev-" + ts, user: Cai, channel: Channel, channelType: "channel", threadTs: root)));
        await WaitForAcknowledgementAsync(Cai, 3);

        var reports = new[] { Ana, Ben, Cai }.Select(u => Assert.Single(_slack.DirectMessagesTo(u))).ToList();
        Assert.Contains("Transcribed by ", reports[2].Body["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        // Nothing in the thread or the channel carries a report: only the acknowledgements.
        Assert.DoesNotContain(_slack.Calls, c => c.Body["channel"]?.ToString() == Channel && c.Method != "chat.postEphemeral"
            && c.Body["blocks"]?.ToJsonString().Contains("Overall ", StringComparison.Ordinal) == true);
        Assert.Empty(_slack.CallsTo("chat.postEphemeral"));

        // A member's "wrap" is refused, privately, and the round stays open.
        await client.SendAsync(SignedEvent(InThread("wrap", Ben, root)));
        var refusal = Assert.Single(await _slack.WaitForAsync("chat.postEphemeral"));
        Assert.Equal(Ben, refusal.Body["user"]!.GetValue<string>());
        Assert.Equal(root, refusal.Body["thread_ts"]!.GetValue<string>());
        Assert.Contains("Only the facilitator", refusal.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False((await rounds.GetAsync(round.Id, default))!.Wrapped);
        Assert.DoesNotContain(ThreadMessages(root), IsSummary);

        // The facilitator's "wrap" posts the summary in the thread, with the averages of what the members were told.
        await client.SendAsync(SignedEvent(InThread("wrap", Facilitator, root)));
        var summary = await WaitForAsync(() => ThreadMessages(root).FirstOrDefault(IsSummary));
        Assert.True((await rounds.GetAsync(round.Id, default))!.Wrapped);
        var shown = Fields(summary.Body["blocks"]!.AsArray());
        var told = reports.Select(r => Report(r.Body["blocks"]!.AsArray())).ToList();
        Assert.Equal(Mean(told.Select(t => (double)t.Overall)) + "/100", shown["Average overall"]);
        var dimensions = told.SelectMany(t => t.Scores.Keys).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(dimensions);
        foreach (var dimension in dimensions)
        {
            var expected = Mean(told.Where(t => t.Scores.ContainsKey(dimension)).Select(t => (double)t.Scores[dimension]));
            Assert.True(shown.TryGetValue(dimension, out var value), $"the summary has no {dimension}: {summary.Body["blocks"]!.ToJsonString()}");
            Assert.Equal(expected, value);
        }

        Assert.Equal("3", shown["Answers"]);
        Assert.Equal($"<@{Ana}> <@{Ben}> <@{Cai}>", shown["Participants"]);
    }

    [Fact]
    public async Task Deadline_PassedWhileTheBotWasDown_SummaryPostedInTheRoundsThreadOnRestart()
    {
        string root;
        long roundId;
        await using (var before = Host())
        {
            using var client = before.CreateClient();
            var (ts, round) = await StartRoundAsync(client, before.Services.GetRequiredService<IGroupRounds>(), "group questions=1 deadline=1m");
            (root, roundId) = (ts, round.Id);
        }

        // The bot comes back after the deadline (its clock two minutes on): the scheduler wraps the round from the database.
        await using var after = Host(clockAhead: TimeSpan.FromMinutes(2));
        _ = after.Services;
        var summary = await WaitForAsync(() => ThreadMessages(root).FirstOrDefault(IsSummary));

        Assert.Equal(Channel, summary.Body["channel"]!.GetValue<string>());
        Assert.True((await after.Services.GetRequiredService<IGroupRounds>().GetAsync(roundId, default))!.Wrapped);
        Assert.Single(ThreadMessages(root), IsSummary);
    }

    [Fact]
    public async Task Remind_MentionsExactlyTheMembersWhoHaveNotAnswered_Once()
    {
        _slack.ChannelMembers = [Facilitator, Ana, BotUser, Ben, Cai];
        await using var factory = Host();
        using var client = factory.CreateClient();
        var (root, _) = await StartRoundAsync(client, factory.Services.GetRequiredService<IGroupRounds>(), "group");
        await client.SendAsync(SignedEvent(InThread(CliRun.Answer, Ana, root)));
        await WaitForAcknowledgementAsync(Ana, 1);

        await client.SendAsync(SignedEvent(InThread("remind", Facilitator, root)));
        var reminder = await WaitForAsync(() => ThreadMessages(root).FirstOrDefault(m => m.Body["text"]!.GetValue<string>().StartsWith("Reminder", StringComparison.Ordinal)));
        await client.SendAsync(SignedEvent(InThread("remind", Facilitator, root)));
        var again = Assert.Single(await _slack.WaitForAsync("chat.postEphemeral"));

        var mentioned = MentionPattern().Matches(Json(reminder.Body["blocks"]!)).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([Facilitator, Ben, Cai], mentioned);
        Assert.Contains("already reminded", again.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(ThreadMessages(root), m => m.Body["text"]!.GetValue<string>().StartsWith("Reminder", StringComparison.Ordinal));
        Assert.Equal(3, _slack.CallsTo("conversations.members").Count);
    }

    [Fact]
    public async Task GroupCommand_InADirectMessage_RefusedAndNoRoundStarts()
    {
        await using var factory = Host();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(SignedRequest("/slack/commands", Form(Command("group", user: Facilitator, channel: "D0009", trigger: "trig-dm")), "application/x-www-form-urlencoded"));
        var refusal = Assert.Single(await _slack.WaitForAsync("chat.postMessage"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("runs in channels", refusal.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_slack.CallsTo("chat.update"));
        Assert.Null(await factory.Services.GetRequiredService<IGroupRounds>().FindByThreadAsync("slack", "D0009", refusal.Body["thread_ts"]?.ToString() ?? "-", default));
    }

    private async Task<(string Root, GroupRound Round)> StartRoundAsync(HttpClient client, IGroupRounds rounds, string command)
    {
        var response = await client.SendAsync(SignedRequest("/slack/commands", Form(Command(command, user: Facilitator, channel: Channel, trigger: "trig-" + NextTs())), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var placeholder = await WaitForAsync(() => _slack.CallsTo("chat.postMessage").FirstOrDefault(c => c.Body["text"]!.GetValue<string>() == "One moment…"));
        Assert.Null(placeholder.Body["thread_ts"]);
        var root = await WaitForAsync(() => _slack.CallsTo("chat.update").Select(c => c.Body["ts"]!.GetValue<string>()).FirstOrDefault());
        var round = await WaitForAsync(() => rounds.FindByThreadAsync("slack", Channel, root, default).GetAwaiter().GetResult());
        return (root, round);
    }

    private async Task WaitForAcknowledgementAsync(string user, int count)
    {
        var expected = GroupMessages.Acknowledgement(count);
        await WaitForAsync(() => _slack.DirectMessagesTo(user) is [var first, ..] ? first : null);
        await WaitForAsync(() => _slack.CallsTo("chat.update").FirstOrDefault(c => c.Body["text"]!.GetValue<string>() == expected));
    }

    private JsonObject InThread(string text, string user, string root)
    {
        var ts = NextTs();
        return Message(text, user: user, channel: Channel, channelType: "channel", ts: ts, threadTs: root, eventId: "Ev-" + ts);
    }

    private string NextTs() => $"1710000000.{Interlocked.Increment(ref _ts):D6}";

    private List<SlackCall> ThreadMessages(string root) =>
        [.. _slack.CallsTo("chat.postMessage").Where(c => c.Body["channel"]?.ToString() == Channel && c.Body["thread_ts"]?.ToString() == root)];

    private static string Json(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static bool IsSummary(SlackCall call) => call.Body["text"]!.GetValue<string>().StartsWith("Round wrapped up", StringComparison.Ordinal);

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
    {
        // Generous: a voice clip coached on a shared machine at a load average of 40 took over two minutes.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "the expected Slack call never came");
            await Task.Delay(50);
        }
    }

    /// <summary>The section fields of a message by their bold title: "*Relevance*\n61.3" → Relevance = 61.3.</summary>
    private static Dictionary<string, string> Fields(JsonArray blocks) =>
        blocks.Where(b => b!["fields"] is not null)
            .SelectMany(b => b!["fields"]!.AsArray())
            .Select(f => f!["text"]!.GetValue<string>().Split('\n', 2))
            .ToDictionary(p => p[0].Trim('*'), p => p[1], StringComparer.Ordinal);

    /// <summary>What a member's report said: the overall score in the header and each dimension's score.</summary>
    private static (int Overall, Dictionary<string, int> Scores) Report(JsonArray blocks)
    {
        // The header follows the headline when the report has one (an unreliable transcript, an off-topic answer);
        // scores resting on an unreliable transcript are marked "~62".
        var header = blocks.First(b => (string?)b!["type"] == "header")!["text"]!["text"]!.GetValue<string>();
        var overall = int.Parse(OverallPattern().Match(header).Groups[1].Value, CultureInfo.InvariantCulture);
        var scores = Fields(blocks).ToDictionary(f => f.Key, f => int.Parse(f.Value.Split(' ')[0].TrimStart('~'), CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return (overall, scores);
    }

    private static string Mean(IEnumerable<double> values) =>
        Math.Round(values.Average(), 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture);

    [GeneratedRegex("<@([A-Z0-9]+)>")]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"^Overall (\d+)/100")]
    private static partial Regex OverallPattern();

    /// <summary>The system clock, some minutes ahead: a bot that comes back after a round's deadline.</summary>
    private sealed class ClockAhead(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
