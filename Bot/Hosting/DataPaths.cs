using CoachBot.Coaching.Speech.Whisper;
using CoachBot.Coaching.Storage;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// Where relative data paths (<c>Storage:DatabasePath</c>, <c>Speech:Whisper:ModelPath</c>) live, whatever the working
/// directory: <c>CoachBot:DataRoot</c> when set, else the repository the program was built in (the folder holding
/// <c>CoachBot.sln</c> above the program), else the working directory (a published program). Paths a user types on
/// the command line are not touched: they stay relative to the user's working directory.
/// </summary>
internal static class DataPaths
{
    public const string RootKey = "CoachBot:DataRoot";

    public static IHostApplicationBuilder AddDataPaths(this IHostApplicationBuilder builder)
    {
        // Read when the options are first used, so settings added after this call (tests, the command line) count.
        builder.Services.AddOptions<StorageOptions>().PostConfigure<IConfiguration>((o, config) => o.DatabasePath = Resolve(Root(config[RootKey]), o.DatabasePath));
        builder.Services.AddOptions<WhisperOptions>().PostConfigure<IConfiguration>((o, config) => o.ModelPath = Resolve(Root(config[RootKey]), o.ModelPath));
        return builder;
    }

    /// <summary>The folder relative data paths resolve against.</summary>
    public static string Root(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? Path.GetFullPath(configured)
        : RepositoryRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();

    /// <summary>The folder holding CoachBot.sln at or above <paramref name="start"/>, or null.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoachBot.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string Resolve(string root, string path) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(root, path));
}
