namespace CoachBot.Coaching.Audio;

/// <summary>Whether an external program named in the settings (ffmpeg, ffprobe) can be found, for a warning at start-up.</summary>
internal static class ExternalPrograms
{
    /// <summary>
    /// Where <paramref name="program"/> would be run from: the path itself when it names a folder, else the first
    /// executable file of that name on PATH; null when there is none.
    /// </summary>
    public static string? Locate(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || program.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(program);
            return IsExecutable(full) ? full : null;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() ||
                              (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
