using System.Globalization;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Advice;

/// <summary>
/// The offline coach: turns the measured scores and findings into strengths and prioritized improvements.
/// Deterministic, needs no model, and always answers, so it is the embedded default and the last link of any chain.
/// Improvements are ordered by how many overall points fixing them could win (weight × gap to 100),
/// with a length far off the mark counted three times.
/// </summary>
internal sealed class RuleBasedCoach : IAdviceWriter
{
    /// <summary>The <see cref="AdviceSource.Source"/> value of rule-based advice.</summary>
    public const string SourceName = "rules";

    public Task<CoachingAdvice> WriteAsync(AdviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(Write(request));
    }

    public static CoachingAdvice Write(AdviceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = request.Content;
        var missed = content.Rubric.Where(r => !r.Covered).Select(r => r.Point.Point).ToList();
        var cited = new List<ReportReference>();
        var improvements = Improvements(request, missed).Select(i => Ground(request, i, cited)).ToList();
        return new CoachingAdvice(Strengths(request), improvements, missed, new AdviceSource(SourceName, null)) { References = cited };
    }

    /// <summary>Points an improvement to the article retrieved for its dimension, so the user can read more.</summary>
    private static Improvement Ground(AdviceRequest request, (Improvement Improvement, string Dimension) item, List<ReportReference> cited)
    {
        var (improvement, dimension) = item;
        if (request.Knowledge.FirstOrDefault(k => k.Dimension == dimension) is not { } snippet)
        {
            return improvement;
        }

        var reference = new ReportReference(snippet.DocumentTitle, snippet.Source);
        if (!cited.Contains(reference))
        {
            cited.Add(reference);
        }

        return improvement with { Suggestion = $"{improvement.Suggestion} More in “{snippet.DocumentTitle}”." };
    }

    /// <summary>Scores at or above this are strengths; below it a dimension is only offered as something to build on.</summary>
    private const int StrengthThreshold = 70;

    private static List<string> Strengths(AdviceRequest request)
    {
        var ranked = Scores(request).OrderByDescending(s => s.Score).ThenByDescending(s => Dimensions.Weights[s.Name]).ToList();
        var strengths = ranked.Where(s => s.Score >= StrengthThreshold).Take(3).Select(s => Strength(request, s)).ToList();

        // A weak answer still gets something to build on, but only what is true of it.
        foreach (var score in ranked.Where(s => s.Score < StrengthThreshold))
        {
            if (strengths.Count >= 2)
            {
                break;
            }

            if (BuildOn(request, score) is { } text)
            {
                strengths.Add(text);
            }
        }

        return strengths;
    }

    private static string Strength(AdviceRequest request, DimensionScore score)
    {
        var content = request.Content;
        var quote = score.Evidence.Count > 0 ? score.Evidence[0] : null;
        var example = quote is null ? string.Empty : $" For example: “{TextDocument.Quote(StripLabel(quote), 140)}”";
        return score.Name switch
        {
            Dimensions.Relevance => $"You answered the question that was asked, covering {content.Rubric.Count(r => r.Covered)} of {content.Rubric.Count} key points.{example}",
            Dimensions.Structure => $"Clear shape: {string.Join(", ", content.Structure.Where(f => f.Present).Select(f => f.Name))} come through in an order a listener can follow.",
            Dimensions.Specificity => $"Concrete details make the story believable.{example}",
            Dimensions.Ownership => $"You make your own part clear instead of hiding behind the team.{example}",
            Dimensions.Length => $"Good length: {TextDocument.Words(content.Document.WordCount)} is about the time an interviewer expects.",
            Dimensions.Delivery => $"Easy to listen to: {score.Reason[..1].ToLowerInvariant()}{score.Reason[1..]}",
            _ => content.FillerCount + content.HedgeCount == 0
                ? "Direct, confident wording with no hedging or filler words."
                : "Mostly direct wording, with few hedges or fillers.",
        };
    }

    private static string? BuildOn(AdviceRequest request, DimensionScore score)
    {
        var content = request.Content;
        var doc = content.Document;
        var covered = content.Rubric.Count(r => r.Covered);
        var present = content.Structure.Where(f => f.Present).Select(f => f.Name).ToList();
        var mine = doc.Tokens.Count(t => Lexicon.FirstPersonSingular.Contains(t.Lower));
        return score.Name switch
        {
            Dimensions.Relevance when covered > 0 =>
                $"Something to build on: you touched on {covered} of the {content.Rubric.Count} key points; build the rest of the answer around {(covered == 1 ? "it" : "them")}.",
            Dimensions.Structure when present.Count > 0 =>
                $"Something to build on: the start of a structure ({string.Join(", ", present)}); add the missing parts.",
            Dimensions.Specificity when score.Score > 0 =>
                "Something to build on: at least one concrete detail; add more like it.",
            Dimensions.Ownership when mine > 0 =>
                $"Something to build on: you speak about your own part (“I” ×{mine}); make it the centre of the story.",
            Dimensions.Length when doc.WordCount < 150 =>
                "Short and to the point: a good base to expand into a full story.",
            Dimensions.Length =>
                "Plenty of material to choose from; the work now is choosing what to cut.",
            Dimensions.Clarity when content.FillerCount + content.HedgeCount == 0 =>
                "No hedging or filler words.",
            Dimensions.Delivery when request.Delivery is { } d && d.WordsPerMinute is >= 130 and <= 170 =>
                $"Something to build on: a comfortable pace ({DeliveryAnalyzer.Format(d.WordsPerMinute)} words per minute).",
            _ => null,
        };
    }

    private static List<(Improvement, string)> Improvements(AdviceRequest request, List<string> missed)
    {
        var content = request.Content;
        var ranked = Scores(request)
            .Select(s => (Score: s, Gain: Gain(s)))
            .OrderByDescending(x => x.Gain).ThenBy(x => x.Score.Name, StringComparer.Ordinal)
            .ToList();
        var chosen = ranked.Where(x => x.Score.Score < 80).Take(3).Select(x => x.Score).ToList();
        if (chosen.Count < 2)
        {
            chosen = [.. chosen.Concat(ranked.Select(x => x.Score).Except(chosen)).Take(2)];
        }

        return [.. chosen.Select(s => (Improvement(request, s, missed), s.Name))];
    }

    private static IReadOnlyList<DimensionScore> Scores(AdviceRequest request) =>
        request.Delivery is { } delivery
            ? [.. request.Content.Scores, DeliveryScore.Score(delivery, request.Content.Document.Text)]
            : request.Content.Scores;

    // How many overall points fixing a dimension could win. A length far off the mark (a 20-second or a
    // 10-minute answer) is the first thing an interviewer notices, so it counts three times.
    internal static double Gain(DimensionScore score) =>
        Dimensions.Weights[score.Name] * (100 - score.Score) * (score.Name == Dimensions.Length && score.Score < 30 ? 3 : 1);

    private static Improvement Improvement(AdviceRequest request, DimensionScore score, List<string> missed)
    {
        var content = request.Content;
        var doc = content.Document;
        var category = request.Question.Category;
        switch (score.Name)
        {
            case Dimensions.Relevance:
                var gaps = missed.Take(2).Select(m => m.TrimEnd('.')).ToList();
                return new Improvement(
                    "Cover what the interviewer is listening for",
                    FirstSentence(doc),
                    gaps.Count == 0
                        ? "Tie each part of the story back to the question's wording so the interviewer hears that you answered it."
                        : $"Add: {string.Join("; ", gaps)}.");

            case Dimensions.Structure:
                var gap = content.Structure.Where(f => !f.Present)
                    .OrderByDescending(f => StructureWeight(category, f.Name)).FirstOrDefault();
                return gap is null
                    ? new Improvement("Make the structure easier to follow", FirstSentence(doc),
                        "Signpost the parts out loud: “The situation was…”, “My job was…”, “What I did…”, “The result…”.")
                    : StructureAdvice(category, gap, doc);

            case Dimensions.Specificity:
                return new Improvement(
                    "Make it concrete",
                    VaguestSentence(doc),
                    "Swap general words for facts: how many users or customers, how much time or money, which tool, which team. " +
                    "“Improved performance” becomes “cut page load from 4 s to 1.2 s”.");

            case Dimensions.Ownership:
                var we = doc.Sentences.FirstOrDefault(s => doc.TokensOf(s).Any(t => Lexicon.FirstPersonPlural.Contains(t.Lower)));
                return new Improvement(
                    "Say what you did yourself",
                    we is null ? FirstSentence(doc) : TextDocument.Quote(we.Text),
                    "Use “we” for the team's goal, then switch to “I” for your decisions and actions: “I proposed…”, “I wrote…”, “I convinced…”.");

            case Dimensions.Delivery when request.Delivery is { } delivery:
                return DeliveryAdvice(delivery);

            case Dimensions.Length:
                var words = doc.WordCount;
                var tooShort = score.Reason.Contains("short", StringComparison.Ordinal);
                return tooShort
                    ? new Improvement(
                        "Give the full story",
                        FirstSentence(doc),
                        $"At {TextDocument.Words(words)} the interviewer hears too little to judge. Aim for one to two minutes: two sentences of context, most of the time on what you did, and a closing result.")
                    : new Improvement(
                        "Tighten the answer",
                        $"{TextDocument.Words(words)} (about {(words / 150.0).ToString("0.#", CultureInfo.InvariantCulture)} minutes spoken)",
                        "Cut the background to two sentences, keep one example, and stop after the result; the interviewer will ask for more detail if they want it.");

            default:
                var hedge = score.Evidence.Count > 0 ? score.Evidence[0] : null;
                return new Improvement(
                    "Drop the hedges and fillers",
                    hedge ?? FirstSentence(doc),
                    "Say “I decided” instead of “I think I kind of decided”. When you need a moment, pause silently rather than saying “um” or “you know”.");
        }
    }

    private static Improvement DeliveryAdvice(DeliveryReport d)
    {
        var pace = $"{DeliveryAnalyzer.Format(d.WordsPerMinute)} words per minute";
        if (d.WordsPerMinute > 170)
        {
            return new Improvement("Slow down", pace,
                "Aim for 130–170 words per minute: finish each sentence, take a breath, then start the next. A one-second pause after your key result lets it land.");
        }

        if (d.Fillers.Ratio > 0.02)
        {
            return new Improvement("Cut the filler words",
                $"{d.Fillers.Count} fillers ({string.Join(", ", d.Fillers.Top.Select(t => $"“{t}”"))}), {DeliveryAnalyzer.Format(d.Fillers.Ratio * 100)}% of words",
                "When you need a moment, close your mouth and pause instead of saying “um”. Practise by recording one answer a day and counting the fillers.");
        }

        if (d.Flags.Contains("monotone"))
        {
            return new Improvement("Vary your pitch",
                d.Pitch.VariationSemitones is { } sigma ? $"pitch varies by only {DeliveryAnalyzer.Format(sigma)} semitones" : "flat intonation",
                "Let your voice rise on what surprised you and fall at the end of each point; stress the numbers and the result as if telling a friend.");
        }

        if (d.LongPauses > 0)
        {
            return new Improvement("Shorten the long silences",
                d.LongPauses == 1 ? "1 pause longer than 1.5 seconds" : $"{d.LongPauses} pauses longer than 1.5 seconds",
                "Plan the shape of the answer before you start (situation, action, result) so you are never searching for the next part; a short pause is fine, a long one sounds lost.");
        }

        if (d.Flags.Contains("too quiet"))
        {
            return new Improvement("Speak up", $"average level {DeliveryAnalyzer.Format(d.Energy.MeanDb)} dBFS",
                "Sit up, move closer to the microphone and speak as if to someone across a table.");
        }

        return d.WordsPerMinute < 130
            ? new Improvement("Pick up the pace a little", pace,
                "Aim for 130–170 words per minute: rehearse the answer's shape so each part follows without searching for words.")
            : new Improvement("Keep your delivery steady", pace,
                "Your delivery is already in the comfortable range; keep the same pace when you are nervous by breathing out before you begin.");
    }

    private static Improvement StructureAdvice(string category, StructureFinding gap, TextDocument doc)
    {
        var (title, suggestion) = (category, gap.Name) switch
        {
            (_, "result") => ("Finish with the result",
                "Close with what changed because of you, with a number if you have one (“cut review time from three days to one”), and one sentence on what you learned."),
            (_, "situation") => ("Set the scene first",
                "Open with one or two sentences: where you were, what was at stake, and when it happened."),
            (_, "task") => ("Say what you were responsible for",
                "Add a sentence on your goal or your part before the actions: “My job was to… by…”."),
            (_, "action") => ("Spend most of the answer on what you did",
                "Walk through two or three decisions or steps you took yourself, in order, each with why you chose it."),
            (_, "clarify") => ("Start by saying what you would find out first",
                "Open with the questions you would ask or the facts you would check before acting; it shows judgement, not just speed."),
            (_, "plan") => ("Lay out your steps in order",
                "Give two or three concrete steps (“First I would…, then…, and if that fails…”)."),
            (_, "success") => ("Say how you would know it worked",
                "Name the outcome or metric you would watch, and when you would follow up."),
            (_, "experience") => ("Back it with a time you did something similar",
                "One sentence on a real moment when you handled something like this makes the plan believable."),
            (_, "answer") => ("Lead with a one-sentence answer",
                "State the answer or definition first, then explain; the interviewer should know where you are going."),
            (_, "approach") => ("Walk through the approach step by step",
                "Break the explanation into ordered steps so it is easy to follow out loud."),
            (_, "example") => ("Ground it in an example",
                "Add a short example, ideally from your own work, that shows the idea in practice."),
            (_, "tradeoffs") => ("Name the trade-offs",
                "Say when this is the wrong choice, what it costs, and what you would pick instead."),
            (_, "reason") => ("Give a clear reason",
                "Say plainly why you want this, in your own words, not in the job ad's words."),
            (_, "evidence") => ("Back your reason with something you did",
                "Point to a project or moment that shows the interest is real."),
            (_, "link") => ("Connect it to this role",
                "Name something specific about the team, product or company and how it fits what you want."),
            _ => ("Say what you would bring",
                "Finish with what you would contribute or want to grow into in this role."),
        };
        var evidence = gap.Name == "result" && doc.Sentences.Count > 0
            ? TextDocument.Quote(doc.Sentences[^1].Text)
            : gap.Name is "situation" or "answer" or "clarify" ? FirstSentence(doc) : string.Empty;
        return new Improvement(title, evidence, suggestion);
    }

    private static int StructureWeight(string category, string part) =>
        StructureModel.For(category).First(p => p.Name == part).Weight;

    private static string FirstSentence(TextDocument doc) =>
        doc.Sentences.Count == 0 ? string.Empty : TextDocument.Quote(doc.Sentences[0].Text);

    private static string VaguestSentence(TextDocument doc)
    {
        var candidates = doc.Sentences
            .Where(s => !doc.TokensOf(s).Any(t => t.Text.Any(char.IsAsciiDigit) || Lexicon.NumberWords.Contains(t.Lower)))
            .OrderByDescending(s => s.TokenCount).ToList();
        return candidates.Count == 0 ? FirstSentence(doc) : TextDocument.Quote(candidates[0].Text);
    }

    private static string StripLabel(string evidence)
    {
        // Structure evidence reads "result: “…”"; quote the sentence only.
        var i = evidence.IndexOf(": “", StringComparison.Ordinal);
        return i > 0 && i < 12 ? evidence[(i + 3)..].TrimEnd('”') : evidence;
    }
}
