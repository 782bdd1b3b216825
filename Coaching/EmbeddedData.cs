namespace CoachBot.Coaching;

/// <summary>
/// The data files compiled into this assembly beside the classes that read them (question types and cores, judgement
/// concerns, word lists, rambling cues, role articles): one place that finds a file by its name.
/// </summary>
internal static class EmbeddedData
{
    /// <summary>Opens the embedded file named <paramref name="fileName"/> (its resource name ends with it).</summary>
    public static Stream Open(string fileName)
    {
        var assembly = typeof(EmbeddedData).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(fileName, StringComparison.Ordinal));
        return assembly.GetManifestResourceStream(name)!;
    }
}
