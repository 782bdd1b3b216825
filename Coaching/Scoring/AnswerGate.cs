using System.Text.RegularExpressions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>What a message that is not an answer asks for.</summary>
public enum NonAnswerKind
{
    /// <summary>"skip", "pass": the user does not want to answer this question.</summary>
    Skip,

    /// <summary>"Can you repeat the question?", "could you rephrase that?".</summary>
    Repeat,

    /// <summary>"I don't know", "no idea", "I don't know how to answer this, sorry".</summary>
    DontKnow,

    /// <summary>A question to the coach: "what should I say here?", "how long should my answer be?".</summary>
    QuestionToCoach,

    /// <summary>Keyboard mashing, "blah blah", placeholder text.</summary>
    Gibberish,

    /// <summary>Real words, but too few to judge ("I led a team.").</summary>
    TooShort,
}

/// <summary>A message recognised as not (yet) an answer.</summary>
/// <param name="Kind">What it asks for.</param>
/// <param name="Words">How many words it has.</param>
public sealed record NonAnswer(NonAnswerKind Kind, int Words);

/// <summary>
/// Recognises messages that are not answers before anything is scored: asking to skip or to hear the question again,
/// "I don't know", questions to the coach, gibberish and text too short to judge. None of them is stored as an attempt.
/// </summary>
public static partial class AnswerGate
{
    /// <summary>Answers with fewer words than this are too short to judge (the user may still confirm one).</summary>
    public const int MinimumWords = 10;

    private static readonly HashSet<string> Junk = new(StringComparer.Ordinal)
    {
        "blah", "bla", "lorem", "ipsum", "dolor", "sit", "amet", "asdf", "asd", "qwerty", "qwe", "zxcv", "jkl", "foo", "bar",
        "baz", "test", "testing", "lol", "hmm", "um", "uh", "er", "erm", "xyz", "abc", "aaa", "sdf", "fgh", "hjk", "etc",
    };

    /// <summary>The kind of non-answer <paramref name="text"/> is, or null when it is an answer to score.</summary>
    public static NonAnswer? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var document = TextDocument.Parse(text);
        var words = document.WordCount;
        var plain = Plain(text);
        if (words == 0)
        {
            return new NonAnswer(NonAnswerKind.Gibberish, 0);
        }

        if ((words <= 8 && SkipPattern().IsMatch(plain)) ||
            (words <= 20 && document.Sentences.Count <= 2 && SkipRequestPattern().IsMatch(plain)))
        {
            return new NonAnswer(NonAnswerKind.Skip, words);
        }

        if (words <= 16 && RepeatPattern().IsMatch(plain))
        {
            return new NonAnswer(NonAnswerKind.Repeat, words);
        }

        if ((words <= 12 && DontKnowPattern().IsMatch(plain)) || (words <= 40 && NoIdeaHowPattern().IsMatch(plain) && !HasSubstance(document)))
        {
            return new NonAnswer(NonAnswerKind.DontKnow, words);
        }

        // A question to the coach, perhaps with a word on why it is asked ("I'm not sure what kind of stakeholder you mean").
        if (words <= 30 && CoachQuestionPattern().IsMatch(plain) && document.Sentences.Any(s => s.Text.TrimEnd().EndsWith('?')) &&
            document.Sentences.All(s => s.Text.TrimEnd().EndsWith('?') || UnsurePattern().IsMatch(Plain(s.Text))))
        {
            return new NonAnswer(NonAnswerKind.QuestionToCoach, words);
        }

        if (IsGibberish(document))
        {
            return new NonAnswer(NonAnswerKind.Gibberish, words);
        }

        return words < MinimumWords ? new NonAnswer(NonAnswerKind.TooShort, words) : null;
    }

    /// <summary>
    /// Whether the words look like language: junk words ("blah", "asdf", "lorem ipsum"), strings without vowels and no
    /// common English words at all mark keyboard mashing and placeholder text.
    /// </summary>
    private static bool IsGibberish(TextDocument document)
    {
        var tokens = document.Tokens.Select(t => t.Lower).ToList();
        var junk = tokens.Count(t => Junk.Contains(t) || (t.Length >= 3 && !t.Any(IsVowel) && !t.Any(char.IsAsciiDigit)));
        var common = tokens.Count(t => Lexicon.EnglishStopwords.Contains(t) || Lexicon.FirstPersonSingular.Contains(t));
        if (tokens.Count <= 40 && junk * 2 >= tokens.Count)
        {
            return true;
        }

        // Eight or more words of real text always include some "the", "and", "I", "to" (unless it is a list of terms,
        // "Empathy, active listening, de-escalation, ownership…": an answer of a kind, coached to show one of them at work).
        return tokens.Count >= 8 && common == 0 && !(junk == 0 && document.ReadsAsList);
    }

    /// <summary>Whether an "I don't know how to answer" message still goes on to say something (then it is an answer, scored for its hedging).</summary>
    private static bool HasSubstance(TextDocument document) =>
        document.Sentences.Count(s => !NoIdeaHowPattern().IsMatch(Plain(s.Text)) && s.TokenCount >= 6) >= 2;

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static string Plain(string text) =>
        Spaces().Replace(Punctuation().Replace(text.ToLowerInvariant().Replace('\u2019', '\''), " "), " ").Trim();

    [GeneratedRegex(@"^(ok |okay |sorry |um |uh )?(can we |could we |can i |could i |let's |let me |i'?ll |i'?d like to |i want to |i will )?(please )?(skip|pass|next|move on|go to the next|another question|different question)( (this|that|it|one|this one|that one|question|this question|for now|please|the question))*$", RegexOptions.CultureInvariant)]
    private static partial Regex SkipPattern();

    [GeneratedRegex(@"\b(repeat|rephrase|reword|say (that|it) again|come again|pardon|what was the question|what's the question|what is the question|lost track|what were you asking|what are you asking|what was that again|didn'?t (catch|hear|get|understand) (that|the question|it)|ask (that|it|the question) again|what do you mean|i don'?t understand the question)\b", RegexOptions.CultureInvariant)]
    private static partial Regex RepeatPattern();

    [GeneratedRegex(@"^(um |uh |hmm |honestly |sorry |well |to be honest )*(i )?(really )?(don'?t|do not|dont) (really )?know\b|^(i have )?no (idea|clue)\b|^not sure\b|^i'?m not sure\b|^(i )?(can'?t|cannot) (think of|remember) (any|an|one|anything)|^(i )?(don'?t|do not) have (an|any) (answer|example|story)", RegexOptions.CultureInvariant)]
    private static partial Regex DontKnowPattern();

    [GeneratedRegex(@"\b(don'?t|do not|dont|not sure) (really )?(know )?how (to|i'?d|i would|i should|i can) (answer|respond|approach|put)\b|\bno idea (what|how) to (say|answer)\b|\b(i'?m|i am) (honestly |really |totally |completely )?(stuck|blanking|drawing a blank)\b|\bhaven'?t (got|really got) anything\b|\b(don'?t|do not) know where (i'?d|i would|to) (start|begin)\b|\bnothing comes to mind\b|\bmy mind'?s? (has )?gone blank\b", RegexOptions.CultureInvariant)]
    private static partial Regex NoIdeaHowPattern();

    [GeneratedRegex(@"\b(should i|can you|could you|would you|what do you|what does|how long|how much|give me|is it ok|is it okay|do i|what's a good|what is a good|what would a good|help me|example answer|sample answer|what are you|do you want)\b", RegexOptions.CultureInvariant)]
    private static partial Regex CoachQuestionPattern();

    [GeneratedRegex(@"^(sorry |um |uh |so |well )*(i'?m |i am )?(not sure|unsure|confused about|a bit confused about|wondering) (what|which|how|whether|if|about)\b", RegexOptions.CultureInvariant)]
    private static partial Regex UnsurePattern();

    [GeneratedRegex(@"\b(can|could) (we|i) (please )?(move on|skip|go on|have (another|a different) (one|question))\b|\bi'?d rather (not|skip)\b|\b(skip|pass on) (this|that) one\b", RegexOptions.CultureInvariant)]
    private static partial Regex SkipRequestPattern();

    [GeneratedRegex(@"[^\p{L}\p{N}' ]+", RegexOptions.CultureInvariant)]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
