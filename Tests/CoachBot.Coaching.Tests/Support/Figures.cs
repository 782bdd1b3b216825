using System.Globalization;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>
/// Measured figures (validity, recall, error rates) that the test command prints at the end of a run.
/// Written to the file named by COACHBOT_FIGURES, when set, and to the test's own output.
/// </summary>
public static class Figures
{
    private static readonly Lock Gate = new();

    public static void Report(ITestOutputHelper output, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var line = string.Create(CultureInfo.InvariantCulture, $"{name}: {value}");
        output.WriteLine(line);
        var file = Environment.GetEnvironmentVariable("COACHBOT_FIGURES");
        if (string.IsNullOrEmpty(file))
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
