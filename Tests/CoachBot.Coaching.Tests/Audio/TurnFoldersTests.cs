using System.Diagnostics;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Audio;

public sealed class TurnFoldersTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coachbot-turnfolders-test-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Root => Path.Combine(_dir.FullName, "turns");

    private TurnFolders Folders() => new(Options.Create(new AudioOptions { TempDirectory = Root }));

    [Fact]
    public async Task Open_NormalizerInsideTheTurn_WritesIntoTheTurnFolderAndDisposeRemovesIt()
    {
        var folders = Folders();
        var normalizer = new FfmpegAudioNormalizer(Options.Create(new AudioOptions { TempDirectory = Path.Combine(_dir.FullName, "elsewhere") }), NullLogger<FfmpegAudioNormalizer>.Instance);

        string speech;
        using (var turn = folders.Open("slack:T1:Ev-voice"))
        {
            using var recording = await normalizer.NormalizeAsync(TestData.JfkWav, default);
            speech = recording.Speech.WavPath;
            Assert.StartsWith(turn.Path + Path.DirectorySeparatorChar, speech, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(speech));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        Assert.Null(TurnFolders.Current);
    }

    [Fact]
    public void Sweep_FolderOfAStoppedProcess_IsRemovedAndARunningTurnsFolderIsKept()
    {
        var folders = Folders();
        using var running = folders.Open("dev:u1:running");
        File.WriteAllText(Path.Combine(running.Path, "recording"), "in use");

        // Another process opens a turn folder, writes the recording and is killed.
        var stale = LeftByAKilledProcess();

        var removed = folders.Sweep(DateTimeOffset.UtcNow);

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(stale));
        Assert.True(File.Exists(Path.Combine(running.Path, "recording")));
    }

    [Fact]
    public void Open_SameTurnAgainAfterACrash_StartsFromAnEmptyFolder()
    {
        var folders = Folders();
        string path;
        using (var first = folders.Open("slack:T1:Ev-retry"))
        {
            path = first.Path;
        }

        LeftByAKilledProcess(path);

        using var again = folders.Open("slack:T1:Ev-retry");

        Assert.Equal(path, again.Path);
        Assert.False(File.Exists(Path.Combine(again.Path, "recording")));
    }

    /// <summary>Plays a killed process: a shell holds the folder's lock with flock(1), writes a file and gets SIGKILL.</summary>
    private string LeftByAKilledProcess(string? folder = null)
    {
        folder ??= Path.Combine(Root, "turn-0123456789abcdef01234567");
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("flock", [Path.Combine(folder, ".lock"), "sh", "-c", $"echo recording > '{folder}/recording'; echo ready; sleep 600"])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        Assert.Equal("ready", process.StandardOutput.ReadLine());
        Assert.Equal(0, Folders().Sweep(DateTimeOffset.UtcNow));
        process.Kill(entireProcessTree: true);
        process.WaitForExit();

        // flock's child (sh, sleep) holds the inherited lock until the kernel has reaped it too; on a loaded machine that
        // can be a moment after flock itself is gone. Wait (generously) until the lock is free, as it is after a real crash.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                using (File.Open(Path.Combine(folder, ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    break;
                }
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }

        Assert.True(File.Exists(Path.Combine(folder, "recording")));
        return folder;
    }
}
