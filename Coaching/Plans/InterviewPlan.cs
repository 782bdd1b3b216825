using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Plans;

/// <summary>An interview plan for one job and one candidate: 8–12 questions with rubrics, and the facts they were chosen from.</summary>
/// <param name="Id">A stable id for the stored plan.</param>
/// <param name="Role">The bank role the plan draws from.</param>
/// <param name="JobTitle">The job title, when the description starts with one.</param>
/// <param name="Seniority">The level the job asks for, if it says.</param>
/// <param name="Skills">The skills the job asks for, and whether the résumé shows each.</param>
/// <param name="Responsibilities">What the job says the role will do.</param>
/// <param name="Candidate">The facts kept from the résumé.</param>
/// <param name="Questions">The questions, in the order to ask them.</param>
/// <param name="MatchedBy">How bank questions were matched to the job: <c>embeddings:&lt;model&gt;</c>, or <c>words</c> when no embedding model is available.</param>
/// <param name="CreatedAt">When the plan was made.</param>
public sealed record InterviewPlan(
    string Id,
    string Role,
    string? JobTitle,
    string? Seniority,
    IReadOnlyList<PlanSkill> Skills,
    IReadOnlyList<string> Responsibilities,
    PlanCandidate Candidate,
    IReadOnlyList<PlanQuestion> Questions,
    string MatchedBy,
    DateTimeOffset CreatedAt)
{
    /// <summary>The version of this JSON shape.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>
    /// Who wrote the plan's own questions: <c>rules</c>, or an LLM provider and model with how many of the plan's questions
    /// it wrote ("ollama (llama3.1:8b): 4 of 10 questions"); each question's <see cref="PlanQuestion.WrittenBy"/> says which.
    /// </summary>
    public string QuestionsWrittenBy { get; init; } = "rules";

    /// <summary>
    /// How many of the model's questions were left out and why, in plain words ("1 of the model's 3 questions was left out:
    /// a leading question"; "the model's reply was cut off after 3 questions"), or null; never a dropped question's text.
    /// </summary>
    public string? ModelLeftOut { get; init; }
}

/// <summary>A skill the job asks for.</summary>
/// <param name="Name">The skill.</param>
/// <param name="InResume">True when the résumé mentions it.</param>
public sealed record PlanSkill(string Name, bool InResume);

/// <summary>The résumé facts a plan keeps (shown to the user on request, deleted by "forget me").</summary>
/// <param name="Skills">Skills the résumé mentions.</param>
/// <param name="Experiences">What the candidate did, in short phrases.</param>
/// <param name="Years">Years of experience stated, if any.</param>
public sealed record PlanCandidate(IReadOnlyList<string> Skills, IReadOnlyList<string> Experiences, int? Years);

/// <summary>One question of a plan.</summary>
/// <param name="Id">The bank id, or <c>plan-NN</c> for a question written for this plan.</param>
/// <param name="Text">The question.</param>
/// <param name="Source"><c>bank</c> or <c>written</c>.</param>
/// <param name="Category">behavioral, situational, technical or motivation.</param>
/// <param name="Difficulty">1–3.</param>
/// <param name="Competencies">What the question probes.</param>
/// <param name="Rubric">What a strong answer covers, with cue words.</param>
/// <param name="FollowUps">Follow-up questions.</param>
/// <param name="Match">For a bank question, its cosine similarity to the job; null for written ones.</param>
/// <param name="BasedOn">For a written question, the résumé and job facts it names.</param>
public sealed record PlanQuestion(
    string Id,
    string Text,
    string Source,
    string Category,
    int Difficulty,
    IReadOnlyList<string> Competencies,
    IReadOnlyList<RubricPoint> Rubric,
    IReadOnlyList<string> FollowUps,
    double? Match,
    PlanEvidence? BasedOn)
{
    /// <summary>
    /// Who wrote the question: <c>bank</c>, <c>rules</c>, or the LLM provider and model ("openai (gpt-4o-mini)"), so a user
    /// can tell a model's questions from the rest. Null in plans stored before it was kept.
    /// </summary>
    public string? WrittenBy { get; init; }

    /// <summary>A bank question.</summary>
    public const string Bank = "bank";

    /// <summary>A question written for this plan.</summary>
    public const string Written = "written";

    /// <summary>The question in the shape the scorer and the practice session use.</summary>
    public Question ToQuestion(string role) =>
        new(Id, Text, role, Category, Difficulty, Competencies, Rubric, FollowUps) { RubricSource = Source == Bank ? "bank" : "plan" };
}

/// <summary>The facts a written question names.</summary>
/// <param name="Resume">The résumé fact (an experience or a skill), if any.</param>
/// <param name="Job">The job fact (a responsibility, a skill or the level), if any.</param>
public sealed record PlanEvidence(string? Resume, string? Job);
