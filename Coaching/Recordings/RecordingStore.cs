using System.Text.RegularExpressions;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
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

/// <summary>
/// The recordings as rows of <c>recordings</c> (the bytes and when they were saved; the name and type travel in the
/// turn's <see cref="AudioReference"/>), with one set of statements for every provider. An upload is read into memory
/// up to <c>Audio:MaxSizeBytes</c> (25 MB by default) before it is stored, so nothing half-written is ever visible.
/// </summary>
internal partial class SqlRecordingStore(ISqlDatabase database, IOptions<AudioOptions> audio, TimeProvider time) : IRecordingStore
{
    protected const string Scheme = "recording:";

    public async Task<AudioReference> SaveAsync(Stream content, string? mimeType, string? fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limit = audio.Value.MaxSizeBytes;
        using var buffer = new MemoryStream();
        var written = await CappedCopy.CopyAsync(content, buffer, limit, cancellationToken)
            ?? throw new AudioRejectedException(
                "audio_too_large",
                $"That recording is larger than {limit / (1024 * 1024)} MB. Please record a shorter answer.",
                $"upload exceeded {limit} bytes");
        if (written == 0)
        {
            throw new AudioRejectedException("audio_empty", "The recording arrived empty. Please record your answer again.", "upload of 0 bytes");
        }

        var id = Guid.NewGuid().ToString("N");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync(
            "INSERT INTO recordings (id, size_bytes, content, saved_at) VALUES (@id, @size, @content, @at);",
            cancellationToken, ("@id", id), ("@size", written), ("@content", buffer.ToArray()), ("@at", database.Dialect.Time(time.GetUtcNow())));
        return new AudioReference(Scheme + id, mimeType, fileName, written);
    }

    public bool Owns(string location) => location.StartsWith(Scheme, StringComparison.Ordinal);

    public virtual async Task<string?> CopyToAsync(string location, string folder, CancellationToken cancellationToken)
    {
        if (Id(location) is not { } id)
        {
            return null;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.RowsAsync(
            "SELECT content FROM recordings WHERE id = @id;", r => r.GetFieldValue<byte[]>(0), cancellationToken, ("@id", id));
        if (rows.Count == 0)
        {
            return null;
        }

        var path = Path.Combine(folder, "recording");
        await File.WriteAllBytesAsync(path, rows[0], cancellationToken);
        return path;
    }

    public virtual async Task DeleteAsync(string location, CancellationToken cancellationToken)
    {
        if (Id(location) is not { } id)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync("DELETE FROM recordings WHERE id = @id;", cancellationToken, ("@id", id));
    }

    public virtual async Task<int> DeleteOlderThanAsync(DateTimeOffset savedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.RunAsync(
            "DELETE FROM recordings WHERE saved_at < @before;", cancellationToken, ("@before", database.Dialect.Time(savedBefore)));
    }

    protected string? Id(string location) =>
        Owns(location) && IdPattern().IsMatch(location.AsSpan(Scheme.Length)) ? location[Scheme.Length..] : null;

    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>
/// Recordings in the SQLite file (the statements are <see cref="SqlRecordingStore"/>'s). Versions before migration 11
/// kept each upload as a file in <c>recordings/</c> beside the database: one still waiting after an upgrade is coached
/// from there, and deleted like the rest.
/// </summary>
internal sealed class SqliteRecordingStore(SqliteDatabase database, IOptions<AudioOptions> audio, TimeProvider time)
    : SqlRecordingStore(database, audio, time)
{
    private string LegacyFolder => Path.Combine(Path.GetDirectoryName(database.Path) ?? ".", "recordings");

    public override async Task<string?> CopyToAsync(string location, string folder, CancellationToken cancellationToken)
    {
        if (await base.CopyToAsync(location, folder, cancellationToken) is { } copied)
        {
            return copied;
        }

        return LegacyFile(location) is { } file && File.Exists(file) ? file : null;
    }

    public override async Task DeleteAsync(string location, CancellationToken cancellationToken)
    {
        await base.DeleteAsync(location, cancellationToken);
        if (LegacyFile(location) is { } file && File.Exists(file))
        {
            File.Delete(file);
        }
    }

    public override async Task<int> DeleteOlderThanAsync(DateTimeOffset savedBefore, CancellationToken cancellationToken)
    {
        var deleted = await base.DeleteOlderThanAsync(savedBefore, cancellationToken);
        if (Directory.Exists(LegacyFolder))
        {
            foreach (var file in new DirectoryInfo(LegacyFolder).EnumerateFiles().Where(f => Id(Scheme + f.Name) is not null && f.LastWriteTimeUtc < savedBefore.UtcDateTime))
            {
                file.Delete();
                deleted++;
            }
        }

        return deleted;
    }

    private string? LegacyFile(string location) => Id(location) is { } id ? Path.Combine(LegacyFolder, id) : null;
}
