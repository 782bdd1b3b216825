using System.Text;
using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// Joins Whisper's sub-word tokens into words. A token that begins with a space starts a new word; other tokens
/// (word pieces, punctuation, the rest of a multi-byte character) continue the current one. A word spans its first
/// token's start to its last token's end and its confidence is the mean of its tokens' probabilities. Pieces that hold
/// no letter or digit once joined (a lone dash, a music note) are not words and are dropped.
/// </summary>
internal sealed class WhisperWordAssembler
{
    private readonly List<TimedWord> _words = [];
    private readonly List<byte> _bytes = [];
    private double _start;
    private double _end;
    private double _probabilitySum;
    private int _pieces;

    /// <summary>Adds one token: its UTF-8 bytes, its span in seconds and its probability 0–1.</summary>
    public void Add(ReadOnlySpan<byte> utf8, double start, double end, double probability)
    {
        if (utf8.IsEmpty)
        {
            return;
        }

        if (utf8[0] == (byte)' ' && _pieces > 0)
        {
            Flush();
        }

        if (_pieces == 0)
        {
            _start = start;
        }

        _bytes.AddRange(utf8);
        _end = Math.Max(end, _start);
        _probabilitySum += Math.Clamp(probability, 0, 1);
        _pieces++;
    }

    /// <summary>Adds one token given as text.</summary>
    public void Add(string text, double start, double end, double probability) =>
        Add(Encoding.UTF8.GetBytes(text), start, end, probability);

    /// <summary>Ends the current word (at a segment boundary) and returns every word so far.</summary>
    public IReadOnlyList<TimedWord> Complete()
    {
        Flush();
        return _words;
    }

    /// <summary>Ends the current word; the next token starts a new one even without a leading space.</summary>
    public void Flush()
    {
        if (_pieces == 0)
        {
            return;
        }

        var text = Encoding.UTF8.GetString([.. _bytes]).Trim();
        if (text.Any(char.IsLetterOrDigit))
        {
            _words.Add(new TimedWord(text, Math.Round(_start, 3), Math.Round(_end, 3), Math.Round(_probabilitySum / _pieces, 4)));
        }

        _bytes.Clear();
        _probabilitySum = 0;
        _pieces = 0;
    }
}
