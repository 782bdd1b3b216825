using CoachBot.Coaching.Scoring;

namespace CoachBot.Coaching.Pipeline;

/// <summary>What CoachBot says to a message that is not an answer; the same words on every channel.</summary>
public static class NonAnswerReplies
{
    /// <summary>The reply to <paramref name="gated"/>.</summary>
    public static string For(NonAnswer gated, bool spoken)
    {
        ArgumentNullException.ThrowIfNull(gated);
        return gated.Kind switch
        {
            NonAnswerKind.Skip => "Nothing was scored. Say “next” for a different question, or answer this one when you're ready:",
            NonAnswerKind.Repeat => "Here is the question again:",
            NonAnswerKind.DontKnow => "That's fine: nothing was scored. Here are the points a good answer covers; pick one you can speak to and start there.",
            NonAnswerKind.QuestionToCoach => "Good question. Aim for one to two minutes (about 150–300 words), in your own words. A good answer covers these points:",
            NonAnswerKind.Gibberish => spoken
                ? "I couldn't make out an answer in that recording. Try again somewhere quieter, or type your answer."
                : "That doesn't look like an answer yet, so nothing was scored. Answer the question in a few sentences, as you would out loud:",
            _ => $"Is this your answer? At {gated.Words} {(gated.Words == 1 ? "word" : "words")} it's too short for me to judge. Reply “yes” to have it coached anyway, or send a fuller answer (most answers take one to two minutes).",
        };
    }
}
