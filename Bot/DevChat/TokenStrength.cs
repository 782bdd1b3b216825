namespace CoachBot.Bot.DevChat;

/// <summary>
/// A conservative estimate of how many bits of entropy a secret carries, for refusing weak access tokens at start-up.
/// Two estimates are taken and the smaller one wins: the empirical Shannon entropy of its characters times its length
/// (repeats such as <c>aaaaaaaaaaaaaaaa</c> or <c>abababab…</c> score nothing or little), and its length counted without
/// runs and ascending or descending sequences (<c>abcdef…</c>, <c>123…</c>) times the bits of the smallest usual
/// alphabet holding every character (hex, lowercase, alphanumerics, base64, printable ASCII). A token from
/// <c>openssl rand -hex 32</c> scores well over 128 bits, <c>aaaaaaaaaaaaaaaa</c> zero.
/// </summary>
internal static class TokenStrength
{
    public const int RequiredBits = 128;

    /// <summary>How to make a token: 256 random bits as 64 hex digits, safe in a URL as printed (<c>/?access=&lt;token&gt;</c>).</summary>
    public const string HowToGenerate = "openssl rand -hex 32";

    public static double EstimateBits(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0)
        {
            return 0;
        }

        return Math.Min(ShannonBits(token), PatternFreeLength(token) * Math.Log2(AlphabetSize(token)));
    }

    private static double ShannonBits(string token)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in token)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        double perCharacter = 0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / token.Length;
            perCharacter -= p * Math.Log2(p);
        }

        return perCharacter * token.Length;
    }

    /// <summary>The length with every character that repeats, or continues a sequence from, the one before it left out.</summary>
    private static int PatternFreeLength(string token)
    {
        var length = 1;
        for (var i = 1; i < token.Length; i++)
        {
            if (Math.Abs(token[i] - token[i - 1]) > 1)
            {
                length++;
            }
        }

        return length;
    }

    private static int AlphabetSize(string token)
    {
        bool All(Func<char, bool> test) => token.All(test);
        if (All(char.IsAsciiDigit))
        {
            return 10;
        }

        if (All(char.IsAsciiHexDigitLower) || All(char.IsAsciiHexDigitUpper))
        {
            return 16;
        }

        if (All(char.IsAsciiLetterLower) || All(char.IsAsciiLetterUpper))
        {
            return 26;
        }

        if (All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) || All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
        {
            return 36;
        }

        if (All(char.IsAsciiLetterOrDigit))
        {
            return 62;
        }

        if (All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_'))
        {
            return 64;
        }

        return All(c => c is >= ' ' and <= '~') ? 95 : 256;
    }
}
