using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Audio;

/// <summary>
/// The one folder per turn where every file of a voice answer lives (the downloaded recording, ffmpeg's output): under
/// <c>Audio:TempDirectory</c> (default: <c>coachbot-turns</c> in the system's temporary folder), named after the turn,
/// owner-only, and removed when the turn ends. A folder in use holds an exclusive lock on its <c>.lock</c> file, which the
/// operating system releases when the process ends however it ends; <see cref="Sweep"/> removes every folder whose lock
/// nobody holds, so a crash leaves nothing behind once the host starts again (and the periodic sweep catches anything
/// else). Code that writes a turn's files asks <see cref="Current"/> for the folder of the turn it runs in.
/// </summary>
internal sealed class TurnFolders(IOptions<AudioOptions> options)
{
    private const string Prefix = "turn-";
    private const string LockName = ".lock";

    /// <summary>A folder without a lock file (one being made right now) is left alone for this long.</summary>
    private static readonly TimeSpan Unlocked = TimeSpan.FromMinutes(5);

    private static readonly AsyncLocal<TurnFolder?> Ambient = new();

    /// <summary>The folder of the turn this code runs in, or null outside a turn.</summary>
    public static TurnFolder? Current => Ambient.Value;

    /// <summary>Where turn folders are made.</summary>
    public string Root => string.IsNullOrWhiteSpace(options.Value.TempDirectory)
        ? Path.Combine(Path.GetTempPath(), "coachbot-turns")
        : Path.GetFullPath(options.Value.TempDirectory);

    /// <summary>Makes (or takes over) the turn's folder and makes it <see cref="Current"/> until it is disposed.</summary>
    public TurnFolder Open(string turnKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(turnKey);
        var root = CreatePrivate(Root);
        var name = Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(turnKey)))[..24];
        var path = Path.Combine(root.FullName, name);

        // Files a crashed attempt of this turn left are not this attempt's.
        if (Directory.Exists(path) && TryLock(path) is { } stale)
        {
            stale.Dispose();
            Directory.Delete(path, recursive: true);
        }

        CreatePrivate(path);
        var held = new FileStream(Path.Combine(path, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var outer = Ambient.Value;
        var folder = new TurnFolder(path, held, () => Ambient.Value = outer);
        Ambient.Value = folder;
        return folder;
    }

    /// <summary>
    /// Removes the turn folders no running turn holds: left by a process that crashed or was killed, or by a turn whose
    /// clean-up failed. Returns how many were removed.
    /// </summary>
    public int Sweep(DateTimeOffset now)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var directory in new DirectoryInfo(Root).EnumerateDirectories(Prefix + "*"))
        {
            try
            {
                var lockFile = Path.Combine(directory.FullName, LockName);
                if (!File.Exists(lockFile) && now - directory.CreationTimeUtc < Unlocked)
                {
                    continue;
                }

                using (var free = TryLock(directory.FullName))
                {
                    if (free is null)
                    {
                        continue;
                    }
                }

                directory.Delete(recursive: true);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Taken by a turn between the check and the delete, or not ours to delete: left for the next sweep.
            }
        }

        return removed;
    }

    private static FileStream? TryLock(string folder)
    {
        try
        {
            return new FileStream(Path.Combine(folder, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static DirectoryInfo CreatePrivate(string path) =>
        // Owner-only: other local users must not read someone's recorded answer.
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}

/// <summary>One turn's folder; disposing it removes the folder and everything in it.</summary>
internal sealed class TurnFolder : IDisposable
{
    private readonly FileStream _lock;
    private readonly Action _leave;

    internal TurnFolder(string path, FileStream held, Action leave)
    {
        Path = path;
        _lock = held;
        _leave = leave;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A new private subfolder for one step's files (ffmpeg's output, a download).</summary>
    public DirectoryInfo CreateSubfolder(string prefix) =>
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(System.IO.Path.Combine(Path, prefix + Guid.NewGuid().ToString("N")[..12]))
            : Directory.CreateDirectory(System.IO.Path.Combine(Path, prefix + Guid.NewGuid().ToString("N")[..12]),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    public void Dispose()
    {
        _leave();
        _lock.Dispose();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the periodic sweep.
        }
    }
}

/// <summary>Sweeps turn folders nobody holds when the host starts (before any turn runs) and every ten minutes after.</summary>
internal sealed class TurnFolderSweeper(TurnFolders folders, TimeProvider time, ILogger<TurnFolderSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Sweep();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Sweep()
    {
        try
        {
            if (folders.Sweep(time.GetUtcNow()) is > 0 and var removed)
            {
                Log.TurnFoldersSwept(logger, removed, folders.Root);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.TurnFolderSweepFailed(logger, ex, folders.Root);
        }
    }
}
