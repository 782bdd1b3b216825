namespace CoachBot.Coaching.Plans;

/// <summary>What a plan keeps from a résumé: facts, never the document's text.</summary>
/// <param name="Skills">Skills from the vocabulary the résumé mentions, most mentioned first.</param>
/// <param name="Experiences">Short phrases of what the candidate did, as the résumé says it ("migrated billing to event sourcing").</param>
/// <param name="Years">Years of experience the résumé states, if any.</param>
public sealed record ResumeFacts(IReadOnlyList<string> Skills, IReadOnlyList<Experience> Experiences, int? Years);

/// <summary>One thing the candidate did.</summary>
/// <param name="Text">The phrase, starting with its action verb in lower case.</param>
/// <param name="Skills">Skills the résumé line names.</param>
/// <param name="HasFigure">True when the line states a figure (a result or a scale).</param>
public sealed record Experience(string Text, IReadOnlyList<string> Skills, bool HasFigure);

/// <summary>What a plan keeps from a job description.</summary>
/// <param name="Title">The job title, when the first line reads like one.</param>
/// <param name="Skills">Skills from the vocabulary the job asks for, most mentioned first.</param>
/// <param name="Responsibilities">What the role will do, as short phrases starting with a verb ("build dashboards for sales").</param>
/// <param name="Seniority">intern, junior, mid, senior or lead, when the job says so.</param>
/// <param name="Years">The fewest years of experience the job asks for, if it says.</param>
/// <param name="Role">The bank role the job reads like, or null.</param>
public sealed record JobFacts(
    string? Title,
    IReadOnlyList<string> Skills,
    IReadOnlyList<string> Responsibilities,
    string? Seniority,
    int? Years,
    string? Role)
{
    /// <summary>Skills the job names as alternatives ("Power BI or Tableau", "AWS/GCP"): one of each group is enough.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Alternatives { get; init; } = [];
}
