using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Scoring.DimensionScorers;

/// <summary>Structure: the weights of the question type's parts the answer has, each quoted from its own sentence.</summary>
internal sealed class StructureDimension : IAnswerDimension
{
    public string Name => Dimensions.Structure;

    public ValueTask<DimensionScore> ScoreAsync(AnswerEvidence evidence, CancellationToken cancellationToken)
    {
        var findings = evidence.Parts;
        var parts = evidence.Type.Parts;
        // Out of the parts the question asks for (the findings hold only those), so an answer is not marked down for a part
        // no one asked for.
        var asked = findings.Sum(f => parts.First(p => p.Name == f.Name).Weight);
        double score = asked <= 0 ? 0 : 100.0 * findings.Where(f => f.Present).Sum(f => parts.First(p => p.Name == f.Name).Weight) / asked;
        var present = findings.Where(f => f.Present).Select(f => f.Name).ToList();
        var missing = findings.Where(f => !f.Present).ToList();
        var frame = evidence.Type.Frame;
        var reason = missing.Count == 0
            // The frame names the parts ("STAR (situation, task, action, result)"): listing them again reads as a contradiction.
            ? $"Has every part of {frame}."
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
