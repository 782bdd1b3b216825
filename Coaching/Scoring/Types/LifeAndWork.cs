namespace CoachBot.Coaching.Scoring.Types;

/// <summary>Descriptions of life outside work and of working life (<c>life-and-work.txt</c>), for the sentence model to compare sentences with.</summary>
internal static class LifeAndWork
{
    private static readonly Lazy<IReadOnlyList<(bool Life, string Text)>> Loaded = new(() =>
    {
        using var reader = new StreamReader(EmbeddedData.Open("life-and-work.txt"));
        var list = new List<(bool, string)>();
        foreach (var line in reader.ReadToEnd().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var kind = colon < 0 ? string.Empty : line[..colon];
            var text = colon < 0 ? string.Empty : line[(colon + 1)..].Trim();
            if (kind is not ("life" or "work") || text.Length == 0)
            {
                throw new InvalidDataException($"life-and-work.txt: '{line}' is neither 'life: …' nor 'work: …'.");
            }

            list.Add((kind == "life", text));
        }

        return list;
    });

    /// <summary>Every description, marked as life outside work or working life.</summary>
    public static IReadOnlyList<(bool Life, string Text)> Descriptions => Loaded.Value;
}
