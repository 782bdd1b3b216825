using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Questions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// Builds a plan from résumé and job facts: bank questions of the role matched to the job by meaning (cosine between
/// the job's embedding and each question's), and questions written for this job and this person from templates that
/// name a résumé experience, a job duty, a skill both share, a skill the résumé lacks, or the level of the role.
/// </summary>
internal sealed partial class InterviewPlanner(
    IQuestionBank bank, KnowledgeEmbeddings embeddings, IOptions<PlanOptions> options, TimeProvider time, PlanQuestionModel? model = null)
{
    private const int WordVectorSize = 512;

    private static readonly string[] CategoryOrder = [Categories.Behavioral, Categories.Technical, Categories.Situational, Categories.Motivation];

    private readonly ConcurrentDictionary<(string Model, string Id), float[]> _bankVectors = new();

    /// <param name="resume">The résumé facts.</param>
    /// <param name="job">The job facts.</param>
    /// <param name="role">The bank role.</param>
    /// <param name="avoid">Bank questions to use only when nothing else fits (those of the plan being regenerated).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<InterviewPlan> BuildAsync(ResumeFacts resume, JobFacts job, string role, CancellationToken cancellationToken, IReadOnlySet<string>? avoid = null)
    {
        ArgumentNullException.ThrowIfNull(resume);
        ArgumentNullException.ThrowIfNull(job);
        var settings = options.Value;
        var meaning = new Meaning(embeddings.Generator, embeddings.ModelId);

        var writeCount = Math.Min(settings.WrittenQuestions, settings.Questions - 3);
        var written = await WriteAsync(resume, job, role, writeCount, meaning, cancellationToken);
        var writtenBy = "rules";
        if (model is { Enabled: true } && await model.WriteAsync(resume, job, role, writeCount, cancellationToken) is { Questions.Count: > 0 } byModel)
        {
            // The model's checked questions first; rule-based ones take the places of any it did not write or that failed the check.
            written = [.. byModel.Questions.Concat(written.Skip(byModel.Questions.Count)).Take(Math.Max(writeCount, written.Count))
                .Select((q, i) => q with { Id = $"plan-{i + 1:D2}" })];
            writtenBy = byModel.WrittenBy;
        }

        var fromBank = await MatchBankAsync(job, role, settings.Questions - written.Count, meaning, avoid ?? new HashSet<string>(), cancellationToken);
        var questions = written.Concat(fromBank)
            .Select((q, i) => (q, i))
            .OrderBy(x => Array.IndexOf(CategoryOrder, x.q.Category))
            .ThenBy(x => x.q.Source == PlanQuestion.Written ? 0 : 1)
            .ThenBy(x => x.i)
            .Select(x => x.q)
            .ToList();

        var resumeSkills = new HashSet<string>(resume.Skills, StringComparer.Ordinal);
        return new InterviewPlan(
            Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(),
            role,
            job.Title,
            job.Seniority,
            [.. job.Skills.Select(s => new PlanSkill(s, resumeSkills.Contains(s)))],
            job.Responsibilities,
            new PlanCandidate(resume.Skills, [.. resume.Experiences.Select(e => e.Text)], resume.Years),
            questions,
            meaning.Name,
            time.GetUtcNow())
        {
            QuestionsWrittenBy = writtenBy,
        };
    }

    private async Task<List<PlanQuestion>> MatchBankAsync(JobFacts job, string role, int count, Meaning meaning, IReadOnlySet<string> avoid, CancellationToken cancellationToken)
    {
        var candidates = bank.Filter(role);
        var query = string.Join(". ", new[] { job.Title, job.Skills.Count > 0 ? "Skills: " + string.Join(", ", job.Skills) : null }
            .Concat(job.Responsibilities).Where(s => !string.IsNullOrWhiteSpace(s)));
        if (query.Length == 0)
        {
            query = role.Replace('-', ' ');
        }

        var queryVector = (await meaning.EmbedAsync([query], cancellationToken))[0];
        var missing = candidates.Where(q => !_bankVectors.ContainsKey((meaning.Name, q.Id))).ToList();
        if (missing.Count > 0)
        {
            var vectors = await meaning.EmbedAsync([.. missing.Select(q => q.Text + " " + string.Join(". ", q.Rubric.Select(r => r.Point)))], cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _bankVectors[(meaning.Name, missing[i].Id)] = vectors[i];
            }
        }

        // The role's own questions are preferred a little over general ones of the same closeness.
        var ranked = candidates
            .Select(q => (Question: q, Score: Cosine(queryVector, _bankVectors[(meaning.Name, q.Id)]) + (q.Role == role ? 0.03 : 0)))
            .OrderBy(x => avoid.Contains(x.Question.Id) ? 1 : 0)
            .ThenByDescending(x => x.Score)
            .ThenBy(x => x.Question.Id, StringComparer.Ordinal)
            .ToList();

        var perCategory = Math.Max(2, (count + 1) / 2);
        var picked = new List<PlanQuestion>();
        foreach (var (question, score) in ranked)
        {
            if (picked.Count == count)
            {
                break;
            }

            var same = picked.Count(p => p.Category == question.Category);
            if ((question.Category == Categories.Motivation && same >= 1) || same >= perCategory)
            {
                continue;
            }

            picked.Add(FromBank(question, score));
        }

        // A role with few questions of some categories still fills the plan, closest questions first.
        foreach (var (question, score) in ranked)
        {
            if (picked.Count >= count)
            {
                break;
            }

            if (!picked.Any(p => p.Id == question.Id))
            {
                picked.Add(FromBank(question, score));
            }
        }

        return picked;

        static PlanQuestion FromBank(Question question, double score) => new(question.Id, question.Text, PlanQuestion.Bank, question.Category,
            question.Difficulty, question.Competencies, question.Rubric, question.FollowUps, Math.Round(score, 3), null);
    }

    private static async Task<List<PlanQuestion>> WriteAsync(ResumeFacts resume, JobFacts job, string role, int count, Meaning meaning, CancellationToken cancellationToken)
    {
        var written = new List<PlanQuestion>();
        if (count <= 0)
        {
            return written;
        }

        var usedExperiences = new HashSet<string>(StringComparer.Ordinal);
        var usedDuties = new HashSet<string>(StringComparer.Ordinal);
        var usedSkills = new HashSet<string>(StringComparer.Ordinal);
        var resumeSkills = new HashSet<string>(resume.Skills, StringComparer.Ordinal);
        // A deep dive needs a tool or a domain ("Kafka", "A/B testing"); "leadership" reads oddly as the thing a problem was solved with.
        var shared = job.Skills.Where(s => resumeSkills.Contains(s) && !PlanVocabulary.Default.SoftSkills.Contains(s)).ToList();
        var gaps = job.Skills.Where(s => !resumeSkills.Contains(s)).ToList();
        var experiences = resume.Experiences.OrderByDescending(e => e.Skills.Count(s => job.Skills.Contains(s))).ThenByDescending(e => e.HasFigure).ToList();
        var bridges = await BridgesAsync(experiences, job, meaning, cancellationToken);

        string Next() => $"plan-{written.Count + 1:D2}";
        bool Full() => written.Count >= count;

        // Rounds, so that a plan mixes kinds before it repeats one: bridge, shared skill, gap, duty, experience.
        for (var round = 0; round < 3 && !Full(); round++)
        {
            if (bridges.FirstOrDefault(b => !usedExperiences.Contains(b.Experience.Text) && !usedDuties.Contains(b.Duty)) is { Experience: not null } bridge)
            {
                usedExperiences.Add(bridge.Experience.Text);
                usedDuties.Add(bridge.Duty);
                written.Add(Bridge(Next(), bridge.Experience, bridge.Duty, bridge.DutyIsSkill));
            }

            if (!Full() && shared.FirstOrDefault(s => usedSkills.Add(s)) is { } skill)
            {
                written.Add(SharedSkill(Next(), skill));
            }

            if (!Full() && gaps.FirstOrDefault(s => usedSkills.Add(s)) is { } gap)
            {
                written.Add(Gap(Next(), gap));
            }

            if (!Full() && job.Responsibilities.FirstOrDefault(d => usedDuties.Add(d)) is { } duty)
            {
                written.Add(Duty(Next(), duty));
            }

            if (!Full() && experiences.FirstOrDefault(e => usedExperiences.Add(e.Text)) is { } experience)
            {
                written.Add(job.Seniority is "senior" or "lead" && round == 0
                    ? Level(Next(), experience, job.Seniority)
                    : DeepDive(Next(), experience, job.Title));
            }
        }

        return [.. written.Take(count)];
    }

    /// <summary>Each experience with the job duty (or, without duties, the job skill) closest to it in meaning, closest pairs first.</summary>
    private static async Task<List<(Experience Experience, string Duty, bool DutyIsSkill)>> BridgesAsync(
        List<Experience> experiences, JobFacts job, Meaning meaning, CancellationToken cancellationToken)
    {
        var dutyIsSkill = job.Responsibilities.Count == 0;
        var targets = dutyIsSkill ? job.Skills : job.Responsibilities;
        if (experiences.Count == 0 || targets.Count == 0)
        {
            return [];
        }

        var vectors = await meaning.EmbedAsync([.. experiences.Select(e => e.Text), .. targets], cancellationToken);
        var pairs = new List<(Experience, string, double)>();
        for (var e = 0; e < experiences.Count; e++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                pairs.Add((experiences[e], targets[t], Cosine(vectors[e], vectors[experiences.Count + t])));
            }
        }

        var result = new List<(Experience, string, bool)>();
        var usedE = new HashSet<string>(StringComparer.Ordinal);
        var usedT = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (experience, target, _) in pairs.OrderByDescending(p => p.Item3))
        {
            if (usedE.Add(experience.Text) && usedT.Add(target))
            {
                result.Add((experience, target, dutyIsSkill));
            }
            else
            {
                usedE.Remove(experience.Text);
            }
        }

        return result;
    }

    private static PlanQuestion Bridge(string id, Experience experience, string duty, bool dutyIsSkill) => new(
        id,
        dutyIsSkill
            ? $"Your résumé says you {experience.Text}, and this role asks for {duty}. Tell me about that work: what you did yourself, the decisions you made, and the result."
            : $"Your résumé says you {experience.Text}. This role asks you to {duty}. Tell me about that work: what you did yourself, what was hard, and what you would bring from it to this job.",
        PlanQuestion.Written, Categories.Behavioral, 2, ["role-fit", "ownership"],
        [
            Own(experience.Text),
            Point($"Connects that work to what the role needs: {Short(duty)}", CuesFrom(duty, Aliases(duty))),
            Decisions,
            Result,
        ],
        ["What would you do differently if you did that work again for this team?"],
        null, new PlanEvidence(experience.Text, duty));

    private static PlanQuestion SharedSkill(string id, string skill) => new(
        id,
        $"Both your résumé and this job mention {skill}. Walk me through the hardest problem you solved with {skill}: the options you weighed, what you chose and how it turned out.",
        PlanQuestion.Written, Categories.Technical, 2, ["technical-depth", "problem-solving"],
        [
            Point($"Describes a concrete, hard problem solved with {skill}", CuesFrom(skill, Aliases(skill), "problem", "challeng*", "hard")),
            Point("Compares the options they considered", ["option*", "alternative*", "compar*", "consider*", "instead", "approach*"]),
            Decisions,
            Result,
        ],
        [$"How would you explain that {skill} decision to someone outside your field?"],
        null, new PlanEvidence(skill, skill));

    private static PlanQuestion Gap(string id, string skill) => new(
        id,
        $"This job asks for {skill}, which your résumé does not mention. What is the closest thing you have done, and how would you get up to speed in your first weeks?",
        PlanQuestion.Written, Categories.Situational, 2, ["learning", "self-awareness"],
        [
            Point("Is honest about what they have not done yet", ["haven't", "have not", "not yet", "new to", "limited", "honest*", "gap", "no direct"]),
            Point("Names the closest related experience", ["similar", "closest", "related", "transfer*", "in my last", "at my", "project*", "used"]),
            Point($"Shows some understanding of {skill}", CuesFrom(skill, Aliases(skill))),
            Point("Gives a concrete way to learn it quickly", ["course*", "practice", "mentor*", "documentation", "docs", "side project*", "pair*", "tutorial*"]),
        ],
        [$"Which part of {skill} do you expect to find hardest, and why?"],
        null, new PlanEvidence(null, skill));

    private static PlanQuestion Duty(string id, string duty) => new(
        id,
        $"In this role you would {duty}. How would you approach that in your first three months, and how would you know it was working?",
        PlanQuestion.Written, Categories.Situational, 2, ["planning", "role-fit"],
        [
            Point("Starts by learning the context and the people involved", ["listen*", "learn*", "understand*", "meet*", "ask*", "context", "stakeholder*", "current"]),
            Point($"Sets out concrete steps for: {Short(duty)}", CuesFrom(duty, Aliases(duty), "first", "plan*", "step*")),
            Point("Says how they would know it is working", ["measure*", "metric*", "success", "feedback", "kpi*", "goal*", "check*", "track*"]),
            Point("Draws on something they have done before", ["before", "in my last", "previous*", "at my", "similar", "experience"]),
        ],
        ["What would you need from your manager to get started?"],
        null, new PlanEvidence(null, duty));

    private static PlanQuestion Level(string id, Experience experience, string level) => new(
        id,
        $"This is a {level}-level role. Your résumé says you {experience.Text}: how did you bring others along, and which decisions did you make that others relied on?",
        PlanQuestion.Written, Categories.Behavioral, 3, ["leadership", "influence"],
        [
            Own(experience.Text),
            Point("Shows how they brought others along", ["team", "mentor*", "align*", "persuad*", "convinc*", "coach*", "others", "stakeholder*"]),
            Decisions,
            Result,
        ],
        ["Tell me about someone who disagreed with one of those decisions."],
        null, new PlanEvidence(experience.Text, level));

    private static PlanQuestion DeepDive(string id, Experience experience, string? title) => new(
        id,
        title is null
            ? $"Your résumé says you {experience.Text}. What was your own part, what went wrong along the way, and how did you measure the result?"
            : $"Your résumé says you {experience.Text}. For this {Short(title)} role, tell me your own part in it, what went wrong along the way, and how you measured the result.",
        PlanQuestion.Written, Categories.Behavioral, 2, ["ownership", "impact"],
        [
            Own(experience.Text),
            Point("Describes a setback and how they handled it", ["problem*", "wrong", "setback", "mistake", "fail*", "issue*", "blocked", "recover*"]),
            Result,
            Point("Reflects on what they learned", ["learn*", "lesson*", "differently", "next time", "hindsight", "would change"]),
        ],
        ["What would you change if you did it again?"],
        null, new PlanEvidence(experience.Text, title));

    private static readonly RubricPoint Decisions = Point("Explains the decisions and trade-offs they made", ["decid*", "chose", "choose", "trade off*", "because", "option*", "instead", "weigh*"]);

    private static readonly RubricPoint Result = Point("Gives a measurable result", ["%", "percent", "reduc*", "increas*", "saved", "cut", "grew", "faster", "result*", "improv*"]);

    private static RubricPoint Own(string experience) =>
        Point($"Describes their own part in: {Short(experience)}", CuesFrom(experience, [], "i led", "i built", "i decided", "my part", "i owned"));

    private static RubricPoint Point(string point, IReadOnlyList<string> cues) => new(point, [.. cues.Distinct(StringComparer.Ordinal).Take(12)]);

    private static IReadOnlyList<string> Aliases(string text) =>
        [.. PlanVocabulary.Default.Skills.Where(s => s.Name == text || s.Pattern.IsMatch(text)).SelectMany(s => PlanVocabulary.Default.AliasesOf(s.Name)).Take(6)];

    /// <summary>Cue words from a fact: its content words (long ones as prefixes) and the given extras, in the bank's cue format.</summary>
    internal static List<string> CuesFrom(string text, IReadOnlyList<string> aliases, params string[] extra)
    {
        var cues = new List<string>();
        foreach (var word in WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value))
        {
            if (word.Length < 3 || StopWords.Contains(word))
            {
                continue;
            }

            cues.Add(word.Length > 6 ? word[..^2] + "*" : word);
            if (cues.Count == 5)
            {
                break;
            }
        }

        foreach (var alias in aliases.Concat(extra))
        {
            var cue = CueUnsafe().Replace(alias.ToLowerInvariant(), " ").Trim();
            cue = string.Join(' ', cue.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4));
            if (cue.Length > 0)
            {
                cues.Add(cue);
            }
        }

        return [.. cues.Where(c => CuePattern().IsMatch(c)).Distinct(StringComparer.Ordinal).Take(12)];
    }

    private static string Short(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 8 ? text : string.Join(' ', words[..8]) + "…";
    }

    internal static double Cosine(float[] a, float[] b) =>
        a.Length != b.Length || a.Length == 0 ? 0 : TensorPrimitives.CosineSimilarity(a, b) is var c && float.IsFinite(c) ? c : 0;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "from", "into", "that", "this", "our", "their", "your", "its", "was", "were", "are", "has", "have",
        "who", "which", "across", "over", "under", "about", "than", "then", "more", "most", "new", "all", "each", "per", "via", "using",
        "team", "teams", "work", "role", "you", "will", "other", "within", "through", "while", "also", "such", "other", "both",
    };

    [GeneratedRegex(@"[a-z0-9][a-z0-9'\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[^a-z0-9'%$\- ]+", RegexOptions.CultureInvariant)]
    private static partial Regex CueUnsafe();

    [GeneratedRegex(@"^[a-z0-9'%$][a-z0-9'%$\-]*(?: [a-z0-9'%$\-]+){0,3}\*?$", RegexOptions.CultureInvariant)]
    private static partial Regex CuePattern();

    /// <summary>Texts as vectors: the embedding model when there is one, otherwise hashed word counts (so cosine still ranks by shared words).</summary>
    private sealed class Meaning(IEmbeddingGenerator<string, Embedding<float>>? generator, string? model)
    {
        public string Name => generator is null ? "words" : $"embeddings:{model}";

        public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            if (generator is null)
            {
                return [.. texts.Select(WordVector)];
            }

            var embedded = await generator.GenerateAsync(texts, null, cancellationToken);
            return [.. embedded.Select(e => e.Vector.ToArray())];
        }

        private static float[] WordVector(string text)
        {
            var vector = new float[WordVectorSize];
            foreach (var word in WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value))
            {
                if (word.Length < 3 || StopWords.Contains(word))
                {
                    continue;
                }

                var stem = word.Length > 5 ? word[..5] : word;
                vector[(int)(Fnv1a(stem) % WordVectorSize)] += 1;
            }

            return vector;
        }

        // A fixed hash, so that the same texts give the same plan in every process.
        private static uint Fnv1a(string text)
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash = unchecked((hash ^ c) * 16777619u);
            }

            return hash;
        }
    }
}
