using System.Text.RegularExpressions;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Recordings;

/// <summary>
/// Recordings uploaded to the bot itself (the recorder page), kept in a folder beside the database until their turn
/// is coached. A turn refers to one as <c>recording:&lt;id&gt;</c>, a name only this store hands out, so any channel
/// may carry it without being able to point the bot at another file.
/// </summary>
public interface IRecordingStore
{
    /// <summary>Saves an upload, refusing more than <c>Audio:MaxSizeBytes</c>; returns the reference for the turn.</summary>
    /// <exception cref="AudioRejectedException">The upload is empty or too large.</exception>
    Task<AudioReference> SaveAsync(Stream content, string? mimeType, string? fileName, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="location"/> names a stored recording (whether or not it still exists).</summary>
    bool Owns(string location);

    /// <summary>The file of a stored recording, or null when the location is not ours or the file is gone.</summary>
    string? Resolve(string location);

    /// <summary>Deletes a stored recording, if it exists.</summary>
    void Delete(string location);

    /// <summary>Deletes recordings saved before <paramref name="savedBefore"/> (their turns failed for good); returns how many.</summary>
    int DeleteOlderThan(DateTimeOffset savedBefore);
}

internal sealed partial class RecordingStore(IOptions<StorageOptions> storage, IOptions<AudioOptions> audio) : IRecordingStore
{
    private const string Scheme = "recording:";

    private string Folder => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.Value.DatabasePath)) ?? ".", "recordings");

    public async Task<AudioReference> SaveAsync(Stream content, string? mimeType, string? fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limit = audio.Value.MaxSizeBytes;
        Directory.CreateDirectory(Folder);
        var id = Guid.NewGuid().ToString("N");
        var path = Path.Combine(Folder, id);
        long written = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, useAsync: true))
            {
                written = await CappedCopy.CopyAsync(content, file, limit, cancellationToken)
                    ?? throw new AudioRejectedException(
                        "audio_too_large",
                        $"That recording is larger than {limit / (1024 * 1024)} MB. Please record a shorter answer.",
                        $"upload exceeded {limit} bytes");
            }

            if (written == 0)
            {
                throw new AudioRejectedException("audio_empty", "The recording arrived empty. Please record your answer again.", "upload of 0 bytes");
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return new AudioReference(Scheme + id, mimeType, fileName, written);
    }

    public bool Owns(string location) => location.StartsWith(Scheme, StringComparison.Ordinal);

    public string? Resolve(string location)
    {
        if (!Owns(location) || !IdPattern().IsMatch(location.AsSpan(Scheme.Length)))
        {
            return null;
        }

        var path = Path.Combine(Folder, location[Scheme.Length..]);
        return File.Exists(path) ? path : null;
    }

    public void Delete(string location)
    {
        if (Resolve(location) is { } path)
        {
            File.Delete(path);
        }
    }

    public int DeleteOlderThan(DateTimeOffset savedBefore)
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles())
        {
            if (IdPattern().IsMatch(file.Name) && file.LastWriteTimeUtc < savedBefore.UtcDateTime)
            {
                file.Delete();
                deleted++;
            }
        }

        return deleted;
    }

    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
