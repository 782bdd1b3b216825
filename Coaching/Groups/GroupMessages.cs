namespace CoachBot.Coaching.Groups;

/// <summary>The fixed wording of group rounds that adapters show themselves.</summary>
public static class GroupMessages
{
    /// <summary>The short acknowledgement a round's thread shows after an answer whose feedback went to the member privately.</summary>
    public static string Acknowledgement(int answers) => GroupTurns.Acknowledgement(answers);
}
