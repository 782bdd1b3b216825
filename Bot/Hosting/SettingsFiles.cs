using Microsoft.Extensions.Configuration.Json;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// Loads <c>appsettings.{Environment}.json</c> from next to the program as well as from the content root.
/// The repository keeps <c>appsettings.Development.json</c> at its root; the build copies it next to the
/// program, so it applies however the host is started (dotnet run, the built binary, or a test host).
/// </summary>
internal static class SettingsFiles
{
    public static void AddBesideProgram(IConfigurationManager configuration, IHostEnvironment environment)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment.EnvironmentName}.json");
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();

        // Same precedence as the content root's file: after appsettings*.json, before user secrets,
        // environment variables and the command line, so those still override it.
        var sources = configuration.Sources;
        var lastJson = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource json && json.Path?.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) == true)
            {
                lastJson = i;
            }
        }

        sources.Insert(lastJson + 1, source);
    }
}
