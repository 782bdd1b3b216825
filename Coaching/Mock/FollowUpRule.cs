using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Mock;

/// <summary>
/// When a mock interview asks one of the bank's follow-ups: when the answer left the follow-up's topic open. A follow-up
/// is about the rubric points it shares a topic word with (the point's words and cue words, stemmed); it is asked when
/// the scorer's report lists one of those points as missed or as left vague (touched only in passing). A follow-up that
/// shares no word with any point goes beyond
/// the rubric; it is asked when the answer never used any of its topic words. At most one follow-up per question, and none
/// after a spoken answer that was not heard reliably.
/// </summary>
public static class FollowUpRule
{
    /// <summary>The follow-up to ask after <paramref name="report"/>, or null when the answer covered every follow-up's topic.</summary>
    public static string? Choose(Question question, CoachingReport report)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(report);
        if (report.ContentUncertain || report.Answer.Reliable is false)
        {
            // What "left open" means rests on words that may not have been said: the reply says the answer was not heard
            // reliably, and a follow-up to a misheard answer would probe something the user never said.
            return null;
        }

        var missed = new HashSet<string>(report.MissedPoints.Concat(report.UncoveredPoints).Concat(report.VaguePoints), StringComparer.Ordinal);
        foreach (var followUp in question.FollowUps)
        {
            var topic = Lexicon.TopicStems(followUp);
            if (topic.Count == 0)
            {
                continue;
            }

            var about = question.Rubric.Where(p => PointStems(p).Overlaps(topic)).ToList();
            if (about.Count > 0 ? about.Any(p => missed.Contains(p.Point)) : !Lexicon.TopicStems(report.Answer.Text).Overlaps(topic))
            {
                return followUp;
            }
        }

        return null;
    }

    private static HashSet<string> PointStems(RubricPoint point)
    {
        var stems = Lexicon.TopicStems(point.Point);
        stems.UnionWith(Lexicon.TopicStems(string.Join(". ", point.Cues.Select(c => c.TrimEnd('*')))));
        return stems;
    }
}
