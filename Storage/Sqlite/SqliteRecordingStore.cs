using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Sqlite;

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
