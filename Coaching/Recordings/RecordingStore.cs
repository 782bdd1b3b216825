using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Recordings;

/// <summary>
/// Recordings uploaded to the bot itself (the recorder page), kept in the database until their turn is coached, so the
/// instance that coaches the turn need not be the one that received the upload. A turn refers to one as
/// <c>recording:&lt;id&gt;</c>, a name only this store hands out, so any channel may carry it without being able to
/// point the bot at another file.
/// </summary>
public interface IRecordingStore
{
    /// <summary>Saves an upload, refusing more than <c>Audio:MaxSizeBytes</c>; returns the reference for the turn.</summary>
    /// <exception cref="AudioRejectedException">The upload is empty or too large.</exception>
    Task<AudioReference> SaveAsync(Stream content, string? mimeType, string? fileName, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="location"/> names a stored recording (whether or not it still exists).</summary>
    bool Owns(string location);

    /// <summary>
    /// Writes a stored recording into <paramref name="folder"/> (the turn's own) and returns the file's path, or null when
    /// the location is not ours or the recording is gone.
    /// </summary>
    Task<string?> CopyToAsync(string location, string folder, CancellationToken cancellationToken);

    /// <summary>Deletes a stored recording, if it exists.</summary>
    Task DeleteAsync(string location, CancellationToken cancellationToken);

    /// <summary>Deletes recordings saved before <paramref name="savedBefore"/> (their turns failed for good); returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset savedBefore, CancellationToken cancellationToken);
}
