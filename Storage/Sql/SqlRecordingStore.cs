using System.Text.RegularExpressions;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

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
