namespace CoachBot.Coaching.Text;

/// <summary>
/// A light English suffix stripper. It only has to make "negotiated", "negotiating" and "negotiates"
/// meet, so it trades linguistic precision for predictability: the same input always gives the same stem.
/// </summary>
public static class Stemmer
{
    /// <summary>Returns the stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var w = word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word;
        if (w.Length <= 3 || !char.IsAsciiLetterLower(w[^1]))
        {
            return w;
        }

        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            return w[..^3] + "y";
        }

        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5)
        {
            return Undouble(w[..^3]);
        }

        if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4)
        {
            var stem = w[..^2];
            return stem.EndsWith('i') ? stem[..^1] + "y" : Undouble(stem);
        }

        if (w.EndsWith("ly", StringComparison.Ordinal) && w.Length > 5)
        {
            return w[..^2];
        }

        if (w.EndsWith("es", StringComparison.Ordinal) && w.Length > 4 &&
            (w.EndsWith("ses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal) ||
             w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)))
        {
            return w[..^2];
        }

        if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) &&
            !w.EndsWith("is", StringComparison.Ordinal))
        {
            return w[..^1];
        }

        // "create" and "created" must meet: drop a final silent e.
        return w.EndsWith('e') && w.Length > 3 ? w[..^1] : w;
    }

    private static string Undouble(string stem)
    {
        if (stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z'))
        {
            return stem[..^1];
        }

        // "created" -> "creat", "create" -> "creat": both sides lose the e.
        return stem;
    }
}
