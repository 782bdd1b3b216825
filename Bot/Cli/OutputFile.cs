namespace CoachBot.Bot.Cli;

/// <summary>
/// The file a verb's <c>--out</c> names: its folders are created as needed, and a path that cannot be written is
/// reported as such ("Cannot write …"), not as a storage problem.
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes <paramref name="file"/> with <paramref name="write"/>; null when written, or why it could not be.</summary>
    public static async Task<string?> WriteAsync(FileInfo file, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(write);
        if (Directory.Exists(file.FullName))
        {
            return $"Cannot write {file.FullName}: it is a folder; give --out a file name.";
        }

        try
        {
            file.Directory?.Create();
            await using var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write);
            await write(stream, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"Cannot write {file.FullName}: {ex.Message}";
        }
    }
}
