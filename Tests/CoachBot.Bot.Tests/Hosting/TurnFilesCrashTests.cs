using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Hosting;

/// <summary>A real host process killed in the middle of a voice turn leaves none of the user's recording on disk once it is back.</summary>
public sealed class TurnFilesCrashTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private string Turns => _folder.File("turns");

    private Dictionary<string, string> Settings() => new()
    {
        ["Storage:DatabasePath"] = _folder.File("crash.db"),
        ["Audio:TempDirectory"] = Turns,
        ["Slack:SigningSecret"] = Secret,
        ["Slack:BotToken"] = "xoxb-test",
        ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
        ["Slack:AdditionalFileHosts:0"] = "127.0.0.1",
    };

    [Fact]
    public async Task VoiceTurn_HostKilledWhileTheRecordingDownloads_NothingOfItIsLeftAfterRestart()
    {
        var clip = _folder.File("audio_message.mp4");
        TestData.Encode(TestData.JfkWav, clip, "-c:a", "aac", "-b:a", "64k", "-f", "mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        var url = _slack.AddFile("F0001/audio_message.mp4", bytes);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.Hold("files", release.Task);

        await using (var first = await RunningHost.StartAsync(Settings()))
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            await client.SendAsync(SignedEvent(Message("start", ts: "1700000001.000001", eventId: "Ev-start")));
            await _slack.WaitForAsync("chat.update");
            await client.SendAsync(SignedEvent(VoiceClip(url, bytes.Length)));

            // The download is under way (the file is open and half sent) when the process is killed with SIGKILL: no
            // clean-up code runs.
            await Until(() => Directory.Exists(Turns) && Directory.EnumerateFiles(Turns, "recording", SearchOption.AllDirectories).Any(), () => first.Output);
        }

        Assert.NotEmpty(Directory.EnumerateFiles(Turns, "*", SearchOption.AllDirectories));
        release.SetResult();

        // The restarted host sweeps the killed turn's folder, then coaches the recovered turn to its card (a voice turn
        // on a loaded machine may take minutes: the wait is generous, nothing is timed).
        await using var second = await RunningHost.StartAsync(Settings());
        await Until(() => _slack.CallsTo("chat.update").Count >= 2 && !Directory.EnumerateFileSystemEntries(Turns).Any(), () => second.Output);

        Assert.Contains("Removed 1 turn folders left behind", second.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Turns));
    }

    private static Task Until(Func<bool> condition, Func<string> output) => Poll.UntilAsync(condition, output, TimeSpan.FromMinutes(5));
}
