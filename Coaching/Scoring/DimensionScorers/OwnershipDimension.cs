using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>
/// Ownership: whether the speaker's own part is clear. Sentences where the speaker says what they did count; "we" is
/// no fault when the speaker's own part is also clear. Two own actions make it good, three strong. An answer to another
/// question gets at most 20, like its structure and specificity.
/// </summary>
internal sealed partial class OwnershipDimension : IAnswerDimension
{
    public string Name => Dimensions.Ownership;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var doc = evidence.Document;
        var mine = doc.Tokens.Count(t => Lexicon.FirstPersonSingular.Contains(t.Lower));
        var ours = doc.Tokens.Count(t => Lexicon.FirstPersonPlural.Contains(t.Lower));
        var actions = evidence.PersonalActions.Count;
        double score;
        string reason;
        IReadOnlyList<string> quotes;
        if (actions > 0)
        {
            score = actions >= 3 ? 90 + Math.Min(10, 2 * (actions - 3)) : actions == 2 ? 75 : 60;
            // "Our roadmap", "our monthly demo" name whose it was, not something the team did: only "we" says that.
            var teamDid = doc.Tokens.Any(t => t.Lower is "we" or "we're" or "we've" or "we'd" or "we'll");
            reason = $"Says what you did yourself in {DimensionText.Count(actions, "sentence")}{(teamDid ? ", alongside what the team did" : string.Empty)}.";
            // The sentences quoted are the answer's own actions: the action part first, a background aside ("I grew up
            // in…", "when I started out…") last (a blind judge found "You make your own part clear" quoting a childhood).
            var action = evidence.Parts.FirstOrDefault(p => p.Name == "action" && p.Present)?.Sentence;
            quotes = [.. evidence.PersonalActions
                .OrderBy(i => Background().IsMatch(doc.Sentences[i].Text) ? 2 : i == action ? 0 : 1).ThenBy(i => i)
                .Take(2).Select(evidence.Quote)];
        }
        else if (mine + ours == 0)
        {
            score = 40;
            reason = "The answer never says who did what: no “I” and no “we”.";
            quotes = [];
        }
        else
        {
            var ratio = (double)mine / (mine + ours);
            score = 30 + (30 * ratio);
            reason = ours > mine
                ? $"About what the team did: “we” {DimensionText.Times(ours)}, and no sentence on what you did yourself."
                : "Speaks as “I”, but no sentence says what you actually did.";
            var wanted = ours > mine ? Lexicon.FirstPersonPlural : Lexicon.FirstPersonSingular;
            quotes = [.. doc.Sentences.Where(s => doc.TokensOf(s).Any(t => wanted.Contains(t.Lower))).Take(2).Select(s => TextDocument.Quote(s.Text))];
        }

        // What the speaker did in a story that answers another question is not their part in this one (as for structure
        // and specificity): no score as if it answered, and no quote to praise.
        if (evidence.OffTopic)
        {
            score = Math.Min(score, 20);
            reason = "What you did is about something other than the question, so it does not count here.";
            quotes = [];
        }

        // An answer that puts what went wrong on others, or claims the others' part, does not make its own part clear,
        // however many "I did" sentences it has: the score says what the concern's tip says (two blind judges found
        // ownership rated strong beside "Own your part"), and quotes nothing to praise.
        if (evidence.Concern?.Id is Types.JudgementConcerns.BlamesOthers or Types.JudgementConcerns.TakesCredit)
        {
            score = Math.Min(score, ScoringCalibration.DisownedOwnership);
            reason = evidence.Concern.Id == Types.JudgementConcerns.BlamesOthers
                ? "Says what you did, but puts what went wrong on others: see the first tip."
                : "Claims the others' part as your own: see the first tip.";
            quotes = [];
        }

        return ValueTask.FromResult(DimensionText.Score(Name, score, reason, quotes));
    }

    /// <summary>A sentence about the speaker's background rather than what they did in the story.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(grew up|growing up|was born|as a (kid|child|teenager)|when i was (a |young|little|\d)|started out|at school|at university|i studied|i graduated)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Background();
}
