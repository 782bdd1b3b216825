using System.Text;
using System.Text.RegularExpressions;

namespace CoachBot.Adapters.Slack.Rendering;

/// <summary>Slack's text rules: the three control characters, and cutting text without breaking an escape or a character.</summary>
public static partial class Mrkdwn
{
    private const string Ellipsis = "…";

    /// <summary>Escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> so text cannot form a mention, link or <c>&lt;!channel&gt;</c>.</summary>
    public static string Escape(string? text) => Fit(text, int.MaxValue);

    /// <summary>
    /// Escapes <paramref name="text"/> and cuts it to at most <paramref name="limit"/> characters after escaping,
    /// ending with an ellipsis when cut. A cut never lands inside an escape such as <c>&amp;amp;</c> or between
    /// the halves of a surrogate pair.
    /// </summary>
    public static string Fit(string? text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var escaped = new StringBuilder(Math.Min(text.Length + 16, 4096));
        var cutAt = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var piece = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            };
            var width = piece?.Length ?? (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1);
            if (cutAt < 0 && escaped.Length + width > limit - Ellipsis.Length)
            {
                // The last place the ellipsis still fits; used only if the whole text turns out too long.
                cutAt = escaped.Length;
            }

            if (escaped.Length + width > limit)
            {
                escaped.Length = AtWordEnd(escaped.ToString(), cutAt);
                return escaped.Append(Ellipsis[0]).ToString();
            }

            if (piece is not null)
            {
                escaped.Append(piece);
            }
            else
            {
                escaped.Append(text, i, width);
                i += width - 1;
            }
        }

        return escaped.ToString();
    }

    /// <summary>Cuts plain text (no escaping) to <paramref name="limit"/> characters, not splitting a surrogate pair.</summary>
    public static string FitPlain(string? text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        if (string.IsNullOrEmpty(text) || text.Length <= limit)
        {
            return text ?? string.Empty;
        }

        var cut = limit - Ellipsis.Length;
        if (char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        return text[..AtWordEnd(text, cut)] + Ellipsis;
    }

    /// <summary>
    /// Where to cut <paramref name="text"/> at or before <paramref name="cut"/> so no word is split ("tea…" for "team"): at
    /// the last space in the final third, without the comma or dash before it (never an escape's semicolon); at <paramref name="cut"/> itself when the
    /// text has no space there (one long word, a URL).
    /// </summary>
    private static int AtWordEnd(string text, int cut)
    {
        if (cut >= text.Length || cut == 0 || char.IsWhiteSpace(text[cut]))
        {
            return TrimEnd(text, cut);
        }

        var space = text.LastIndexOf(' ', cut - 1);
        return space > 0 && space >= cut * 2 / 3 ? TrimEnd(text, space) : cut;
    }

    private static int TrimEnd(string text, int end)
    {
        while (end > 0 && (char.IsWhiteSpace(text[end - 1]) || text[end - 1] is ',' or ':' or '(' or '-' or '\u2013' or '\u2014'))
        {
            end--;
        }

        return end;
    }

    /// <summary>
    /// Cuts already-escaped mrkdwn to <paramref name="limit"/> characters without ending inside an escape
    /// (<c>&amp;amp;</c>) or a surrogate pair. A safety net: renderers size their pieces so it rarely cuts.
    /// </summary>
    public static string FitEscaped(string? escaped, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        if (string.IsNullOrEmpty(escaped) || escaped.Length <= limit)
        {
            return escaped ?? string.Empty;
        }

        var cut = limit - Ellipsis.Length;
        if (char.IsLowSurrogate(escaped[cut]))
        {
            cut--;
        }

        var amp = escaped.LastIndexOf('&', cut - 1, Math.Min(cut, 5));
        if (amp >= 0 && escaped.IndexOf(';', amp, cut - amp) < 0)
        {
            cut = amp;
        }

        return escaped[..cut] + Ellipsis;
    }

    /// <summary>Slack's escapes back to characters, for text Slack sends us.</summary>
    public static string Unescape(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>Text as a one-line mrkdwn quote, escaped and cut to <paramref name="limit"/> characters in all.</summary>
    public static string Quote(string? text, int limit) =>
        ">" + Fit((text ?? string.Empty).ReplaceLineEndings(" "), limit - 1);

    /// <summary>
    /// Turns escaped user mentions (<c>&amp;lt;@U123&amp;gt;</c>) in escaped text back into mentions. Only for the bot's
    /// own sentences that name a member (the facilitator); broadcasts such as <c>&lt;!channel&gt;</c> stay escaped.
    /// </summary>
    public static string KeepMentions(string escaped) => EscapedMention().Replace(escaped ?? string.Empty, "<@$1>");

    [GeneratedRegex("&lt;@([UW][A-Z0-9]{1,22})&gt;", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedMention();
}
