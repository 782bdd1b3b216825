using System.Globalization;

namespace CoachBot.Coaching.Groups;

/// <summary>The fixed wording of group rounds that adapters show themselves.</summary>
public static class GroupMessages
{
    /// <summary>The short acknowledgement a round's thread shows after an answer whose feedback went to the member privately.</summary>
    public static string Acknowledgement(int answers) =>
        answers == 1 ? "✓ 1 answer so far" : $"✓ {answers.ToString(CultureInfo.InvariantCulture)} answers so far";
}
