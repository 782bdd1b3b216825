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
/// Builds a plan from résumé and job facts: bank questions of the role (and of a neighbouring role, for a title between
/// two) matched to the job by meaning (cosine between the job's embedding and each question's), none repeating another
/// question of the plan, and questions written for this job and this person from the candidate's strongest experiences:
/// each tied to the job duty closest to it, to a skill the job uses, to how a result was measured, to one gap, or to the
/// level of the role.
/// </summary>
internal sealed partial class InterviewPlanner(
    IQuestionBank bank, KnowledgeEmbeddings embeddings, IOptions<PlanOptions> options, TimeProvider time, PlanQuestionModel? model = null)
{
    private const int WordVectorSize = 512;

    // Two questions this close in meaning ask the same thing in other words. Set high: with the built-in sentence model
    // unrelated interview questions already score 0.78–0.90 (measured on the development pairs), so words decide most cases.
    private const double DuplicateCosine = 0.95;

    // The job's first duties (a job ad lists its central ones first), each matched to the bank on its own.
    private const int MaxDutiesMatched = 5;

    // How much a bank question gains for naming one of the job's skills (cosines of unrelated questions differ by about 0.1).
    private const double SkillWeight = 0.06;

    // How many more written questions a plan holds when the bank has no role for the job.
    private const int NoRoleExtraWritten = 2;

    // The fewest questions a plan holds (issue 17: 8–12).
    private const int MinQuestions = 8;

    private static readonly string[] CategoryOrder = [Categories.Behavioral, Categories.Technical, Categories.Situational, Categories.Motivation];

    private readonly ConcurrentDictionary<(string Model, string Id), float[]> _bankVectors = new();

    // The question's words alone (no rubric), to compare with the plan's other questions.
    private readonly ConcurrentDictionary<(string Model, string Id), float[]> _textVectors = new();

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

        // A job the bank has no role for gets more questions written for it: the bank can only lend other roles' questions.
        var noRole = role == Roles.General;
        var writeCount = Math.Min(settings.WrittenQuestions + (noRole && settings.WrittenQuestions > 0 ? NoRoleExtraWritten : 0), settings.Questions - 3);
        var byModel = model is { Enabled: true } ? await model.WriteAsync(resume, job, role, writeCount, cancellationToken) : null;
        var modelWrote = byModel is { Questions.Count: > 0 };

        // With a model the rules write spares: a model question dropped by the check gives its place to a rule-written
        // question (not to bank filler), one that asks about other facts than the model's questions.
        // A job without a bank role also gives the place of a bank question that fits none of its duties to a spare.
        var pool = (await WriteAsync(resume, job, role, modelWrote || noRole ? settings.Questions : writeCount, meaning, cancellationToken))
            .Select(q => q with { WrittenBy = "rules" }).ToList();
        var rules = pool.Take(writeCount).ToList();
        var written = modelWrote ? pool : rules;
        if (modelWrote)
        {
            var fromModel = byModel!.Questions.Select(q => q with { WrittenBy = byModel.WrittenBy }).ToList();
            var usedFacts = fromModel.SelectMany(q => new[] { q.BasedOn?.Resume, q.BasedOn?.Job }).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var spares = pool.Where(r => !fromModel.Any(m => NearDuplicate(m.Text, r.Text)) && !(r.BasedOn?.Resume is { } fact && usedFacts.Contains(fact)))
                .Concat(pool.Where(r => !fromModel.Any(m => NearDuplicate(m.Text, r.Text))))
                .Distinct();
            written = [.. fromModel.Concat(spares).Take(Math.Max(writeCount, fromModel.Count)).Select((q, i) => q with { Id = $"plan-{i + 1:D2}" })];
        }

        var fromBank = await MatchBankAsync(job, role, written, settings.Questions - written.Count, meaning, avoid ?? new HashSet<string>(), cancellationToken);
        if (noRole)
        {
            // Without a bank role the bank lends general questions ("Why this company?", "How do you organise your week?")
            // that fit no duty of the job: such a question, the least close first, gives its place to a spare written one about this job and
            // this person, while there is one that asks nothing the plan already asks.
            // At most one such generic question stays (a motivation question first: "why this job" is fair once).
            var jobWords = ContentStems(string.Join(". ", new[] { job.Title }.Concat(job.Skills).Concat(job.Responsibilities).OfType<string>()));
            bool Generic(PlanQuestion q) => !ContentStems(q.Text).Intersect(jobWords).Any(w => !GenericWorkStems.Contains(w) && !GenericPlanStems.Contains(w));
            var keep = fromBank.Where(Generic).OrderBy(q => q.Category == Categories.Motivation ? 0 : 1).Select(q => q.Id).FirstOrDefault();
            var spare = new Queue<PlanQuestion>(pool.Where(p => !written.Any(w => w.Text == p.Text)));
            for (var i = fromBank.Count - 1; i >= 0; i--)
            {
                if (!Generic(fromBank[i]) || fromBank[i].Id == keep)
                {
                    continue;
                }

                var replaced = false;
                while (!replaced && spare.TryDequeue(out var next))
                {
                    if (!written.Concat(fromBank).Any(q => NearDuplicate(q.Text, next.Text)))
                    {
                        written.Add(next with { Id = $"plan-{written.Count + 1:D2}" });
                        fromBank.RemoveAt(i);
                        replaced = true;
                    }
                }

                // With no spare left, a second generic question is left out while the plan keeps its eight questions.
                if (!replaced && written.Count + fromBank.Count > MinQuestions)
                {
                    fromBank.RemoveAt(i);
                }
            }
        }

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
            QuestionsWrittenBy = byModel is null ? "rules"
                : questions.Count(q => byModel.WrittenBy is not null && q.WrittenBy == byModel.WrittenBy) is > 0 and var byIt
                    ? $"{byModel.WrittenBy}: {byIt} of {questions.Count} questions"
                    : $"rules ({WhyNoModelQuestions(byModel)})",
            ModelLeftOut = byModel?.LeftOut(),
        };
    }

    /// <summary>Why a model that was asked has no question in the plan, said after "rules".</summary>
    private static string WhyNoModelQuestions(PlanModelReply reply) =>
        reply.Failure
        ?? (reply.Questions.Count > 0 ? "the model's questions asked what the plan already asks"
            : reply.Dropped == 1 ? "the model's one question failed the checks"
            : reply.Dropped > 1 ? $"none of the model's {reply.Dropped} questions passed the checks"
            : "the model wrote no questions");

    private async Task<List<PlanQuestion>> MatchBankAsync(
        JobFacts job, string role, List<PlanQuestion> written, int count, Meaning meaning, IReadOnlySet<string> avoid, CancellationToken cancellationToken)
    {
        // A job between two bank roles ("Customer Success Manager": support and sales) draws on both, ranked by meaning;
        // the other role's motivation questions ("Why customer support?") would name the wrong job, so only general ones are asked.
        var titled = PlanVocabulary.Default.RolesForTitle(job.Title);
        IReadOnlyList<string> roles = titled.Count > 1 && titled[0] == role ? titled : [role];

        // A job the bank has no role for ("Financial Analyst", "Warehouse Operations Manager") draws on every role's
        // questions by meaning, never on one other role's set: at most one question of each other role, none of their
        // motivation questions, and only one that fits the job (FitsJob below).
        var noRole = role == Roles.General;
        var candidates = (noRole ? bank.All : roles.SelectMany(r => bank.Filter(r)))
            .DistinctBy(q => q.Id)
            .Where(q => (roles.Count == 1 && !noRole) || q.Category != Categories.Motivation || q.Role == Roles.General)
            .ToList();
        var query = string.Join(". ", new[] { job.Title, job.Skills.Count > 0 ? "Skills: " + string.Join(", ", job.Skills) : null }
            .Concat(job.Responsibilities).Where(s => !string.IsNullOrWhiteSpace(s)));
        var jobWords = ContentStems(query);
        if (query.Length == 0)
        {
            query = role.Replace('-', ' ');
        }

        // The job's duties drive the choice, each on its own as well as all together: a question close to one central duty
        // ("take part in the on-call rotation") outranks one only vaguely close to the whole job (API design for an SRE).
        var duties = job.Responsibilities.Take(MaxDutiesMatched).ToList();
        var queryVectors = await meaning.EmbedAsync([query, .. duties], cancellationToken);
        var queryVector = queryVectors[0];
        var dutyVectors = queryVectors[1..];
        var missing = candidates.Where(q => !_bankVectors.ContainsKey((meaning.Name, q.Id))).ToList();
        if (missing.Count > 0)
        {
            var vectors = await meaning.EmbedAsync([.. missing.Select(q => q.Text + " " + string.Join(". ", q.Rubric.Select(r => r.Point)))], cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _bankVectors[(meaning.Name, missing[i].Id)] = vectors[i];
            }

            var texts = await meaning.EmbedAsync([.. missing.Select(q => q.Text)], cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _textVectors[(meaning.Name, missing[i].Id)] = texts[i];
            }
        }

        double Closeness(Question q)
        {
            var vector = _bankVectors[(meaning.Name, q.Id)];
            var whole = Cosine(queryVector, vector);
            return dutyVectors.Length == 0 ? whole : (whole + dutyVectors.Max(d => Cosine(d, vector))) / 2;
        }

        // The role's own questions are preferred a little over general ones of the same closeness.
        var ranked = candidates
            .Select(q => (Question: q, Score: Closeness(q) + SkillFit(q, job.Skills) + (q.Role == role ? 0.03 : 0) + LevelFit(q, job.Seniority)))
            .OrderBy(x => avoid.Contains(x.Question.Id) ? 1 : 0)
            .ThenByDescending(x => x.Score)
            .ThenBy(x => x.Question.Id, StringComparer.Ordinal)
            .ToList();

        // Without a bank role, another role's question takes the place of a general one only when the job itself names that
        // kind of work (the role's own words in its title, skills or duties: "analytics", "customer support", "developer" —
        // a shared "on-call" or "design" is no fit: a press office's on-call rota is not a production service's), when it
        // is closer to the job than the general questions the plan would otherwise ask, and shares two topic words with the
        // job's title, skills and duties; a technical question besides tests a skill the job asks for.
        var generalBar = ranked.Where(x => x.Question.Role == Roles.General).Select(x => x.Score).Take(Math.Max(1, count)).DefaultIfEmpty(double.MinValue).Min();
        var scores = ranked.ToDictionary(x => x.Question.Id, x => x.Score, StringComparer.Ordinal);
        var namedRoles = PlanVocabulary.Default.Roles.Where(r => r.Pattern.IsMatch(query)).Select(r => r.Role).ToHashSet(StringComparer.Ordinal);
        bool FitsJob(Question question) => question.Role == Roles.General || !noRole
            || (namedRoles.Contains(question.Role)
                && (question.Category != Categories.Technical || SkillFit(question, job.Skills) > 0)
                && scores[question.Id] >= generalBar
                && ContentStems(question.Text).Intersect(jobWords).Count(w => !GenericWorkStems.Contains(w)) >= 2);

        // No two questions of a plan ask the same thing: a bank question close in meaning (or in words) to one already in
        // the plan, written or from the bank, is passed over.
        var writtenVectors = written.Count == 0 ? [] : await meaning.EmbedAsync([.. written.Select(q => q.Text)], cancellationToken);
        var inPlan = written.Select((q, i) => (q.Text, Vector: writtenVectors[i])).ToList();
        bool Repeats(Question question)
        {
            var vector = _textVectors[(meaning.Name, question.Id)];
            return inPlan.Any(p => NearDuplicate(p.Text, question.Text) || (meaning.IsModel && Cosine(p.Vector, vector) >= DuplicateCosine));
        }

        // A general question that shares no topic word with the job ("How do you organise your week?") is asked at most once
        // in a job without a bank role, while a closer one is left; the plan's written questions take the other places.
        bool Generic(string text) => !ContentStems(text).Intersect(jobWords).Any(w => !GenericWorkStems.Contains(w) && !GenericPlanStems.Contains(w));
        var perCategory = Math.Max(2, (count + 1) / 2);

        // A plan asks "why this job" once: a written motivation question (the model's) leaves no place for the bank's.
        var askedWhy = written.Any(w => w.Category == Categories.Motivation);
        var picked = new List<PlanQuestion>();
        foreach (var (question, score) in ranked)
        {
            if (picked.Count == count)
            {
                break;
            }

            var same = picked.Count(p => p.Category == question.Category);
            var lent = question.Role != role && question.Role != Roles.General;
            if ((question.Category == Categories.Motivation && (same >= 1 || askedWhy)) || same >= perCategory || Repeats(question) || !FitsJob(question)
                || (noRole && Generic(question.Text) && picked.Any(p => Generic(p.Text)))
                || (noRole && picked.Any(p => Bank(p.Id)?.Role == question.Role && question.Role != Roles.General))
                || (!noRole && lent && picked.Count(p => Bank(p.Id) is { } b && b.Role != role && b.Role != Roles.General) >= count / 2))
            {
                continue;
            }

            picked.Add(FromBank(question, score));
            inPlan.Add((question.Text, _textVectors[(meaning.Name, question.Id)]));
        }

        // A role with few questions of some categories still fills the plan, closest questions first.
        foreach (var (question, score) in ranked)
        {
            if (picked.Count >= count)
            {
                break;
            }

            if (!picked.Any(p => p.Id == question.Id) && !Repeats(question) && (question.Role == Roles.General || !noRole)
                && !(question.Category == Categories.Motivation && (askedWhy || picked.Any(p => p.Category == Categories.Motivation))))
            {
                picked.Add(FromBank(question, score));
                inPlan.Add((question.Text, _textVectors[(meaning.Name, question.Id)]));
            }
        }

        return picked;

        Question? Bank(string id) => bank.Find(id);

        static PlanQuestion FromBank(Question question, double score) => new(question.Id, question.Text, PlanQuestion.Bank, question.Category,
            question.Difficulty, question.Competencies, question.Rubric, question.FollowUps, Math.Round(score, 3), null) { WrittenBy = PlanQuestion.Bank };
    }

    private static async Task<List<PlanQuestion>> WriteAsync(ResumeFacts resume, JobFacts job, string role, int count, Meaning meaning, CancellationToken cancellationToken)
    {
        var written = new List<PlanQuestion>();
        if (count <= 0)
        {
            return written;
        }

        var vocabulary = PlanVocabulary.Default;
        var usedExperiences = new HashSet<string>(StringComparer.Ordinal);
        var usedDuties = new HashSet<string>(StringComparer.Ordinal);
        var usedSkills = new HashSet<string>(StringComparer.Ordinal);
        var resumeSkills = new HashSet<string>(resume.Skills, StringComparer.Ordinal);
        var jobSkills = new HashSet<string>(job.Skills, StringComparer.Ordinal);

        // A named tool first ("Snowflake" says more than "data warehousing"); a soft skill is never "the thing a problem was solved with".
        var hardJobSkills = job.Skills.Where(s => !vocabulary.SoftSkills.Contains(s)).OrderByDescending(vocabulary.IsTool).ToList();
        // A skill the job accepts an alternative to ("Power BI or Tableau") is no gap when the résumé has one of them.
        var gaps = hardJobSkills.Where(s => !resumeSkills.Contains(s) && !vocabulary.Domains.Contains(s)
            && !job.Alternatives.Any(g => g.Contains(s) && g.Any(resumeSkills.Contains))).ToList();
        var resumeTools = resume.Skills.Where(vocabulary.IsTool).ToList();
        var kinds = new HashSet<string>(StringComparer.Ordinal);

        // The candidate's strongest facts first: a figure, ownership, what the job asks for, then the order the résumé gives.
        var experiences = resume.Experiences
            .Select((e, i) => (Experience: e, Strength: Strength(e, jobSkills) - (0.05 * i)))
            .OrderByDescending(x => x.Strength)
            .Select(x => x.Experience)
            .ToList();
        var targets = job.Responsibilities.Count > 0 ? job.Responsibilities : [.. hardJobSkills];
        var closeness = await ClosenessAsync(experiences, targets, gaps, meaning, cancellationToken);

        string Next() => $"plan-{written.Count + 1:D2}";
        bool Full() => written.Count >= count;
        Experience? Unused(Func<Experience, bool>? where = null) =>
            experiences.FirstOrDefault(e => !usedExperiences.Contains(e.Text) && (where is null || where(e)));
        Experience Use(Experience experience)
        {
            usedExperiences.Add(experience.Text);
            return experience;
        }

        // A duty that names a skill a question already asks about would ask it twice.
        bool Fresh(string duty) => !usedDuties.Contains(duty) && !usedSkills.Any(s => Mentions(duty, s));

        // The line with the best stated result is kept for the question about how it was measured (the others' results are
        // asked about in the bridges); a line that states no result is never asked how its result was measured.
        var reserved = experiences
            .Where(e => FactExtractor.ResultText.IsMatch(e.Text))
            .OrderByDescending(e => FactExtractor.ResultText.Count(e.Text))
            .FirstOrDefault();
        if (experiences.Count(e => FactExtractor.ResultText.IsMatch(e.Text)) < 2 && experiences.Count < 4)
        {
            reserved = null;
        }

        // Rounds, so that a plan mixes kinds before it repeats one: one of the strongest experiences tied to the job duty
        // closest to it, an experience with a skill the job uses, a result to unpack, one gap, and the level (or a duty).
        for (var round = 0; round < 3 && !Full(); round++)
        {
            var bridge = experiences.Where(e => !usedExperiences.Contains(e.Text) && (round > 0 || e != reserved)).Take(3)
                .SelectMany(e => targets.Where(Fresh).Select(t => (Experience: e, Duty: t, Score: closeness[(e.Text, t)])))
                .OrderByDescending(x => x.Score)
                .FirstOrDefault();
            if (bridge.Experience is not null)
            {
                usedDuties.Add(bridge.Duty);
                written.Add(Bridge(Next(), Use(bridge.Experience), bridge.Duty, job.Responsibilities.Count == 0, round));
            }

            // Each kind but the bridge once a plan: the same sentence frame twice reads as a template.
            bool WithSkill(Experience e, string s) => e.Skills.Contains(s) && e != reserved;
            if (!Full() && !kinds.Contains("skill") && hardJobSkills.FirstOrDefault(s => !usedSkills.Contains(s) && Unused(e => WithSkill(e, s)) is not null) is { } skill)
            {
                kinds.Add("skill");
                usedSkills.Add(skill);
                var withSkill = Use(Unused(e => WithSkill(e, skill))!);
                var duty = job.Responsibilities.FirstOrDefault(d => Fresh(d) && Mentions(d, skill));
                if (duty is not null)
                {
                    usedDuties.Add(duty);
                }

                written.Add(SkillInContext(Next(), withSkill, skill, duty));
            }

            if (!Full() && kinds.Add("result") && (reserved is not null && !usedExperiences.Contains(reserved.Text) ? reserved : Unused(e => FactExtractor.ResultText.IsMatch(e.Text))) is { } result)
            {
                written.Add(Measured(Next(), Use(result)));
            }

            // One gap a plan: a second "your résumé does not mention…" reads as a checklist, not an interview.
            if (!Full() && round == 0 && gaps.FirstOrDefault(s => !usedSkills.Contains(s)) is { } gap)
            {
                usedSkills.Add(gap);
                // A tool the plan already asks about would make two questions of one ("You wrote Jest tests…", "…your résumé shows Jest").
                var known = resumeTools.Where(s => !usedSkills.Contains(s)).ToList();
                var related = known.FirstOrDefault(s => vocabulary.AreaOf(s) == vocabulary.AreaOf(gap) && vocabulary.AreaOf(gap) is not null);
                if (related is not null || (vocabulary.IsTool(gap) && known.Count > 0))
                {
                    // A tool is learned like the tools the candidate already knows: name the closest one, or the ones they list.
                    written.Add(ToolGap(Next(), gap, related, related is null ? [.. known.Take(3)] : [related]));
                }
                else
                {
                    var near = experiences.Where(e => !usedExperiences.Contains(e.Text)).OrderByDescending(e => closeness[(e.Text, gap)]).FirstOrDefault();
                    written.Add(Gap(Next(), gap, near is null ? null : Use(near)));
                }
            }

            // A mid-level job says nothing a question could be built on ("This is a mid role…"): only the ends of the ladder do.
            if (!Full() && round == 0 && job.Seniority is { } level and ("junior" or "intern" or "senior" or "lead")
                && Unused(e => level is "junior" or "intern" || LeadershipVerbs.Contains(e.Text.Split(' ', 2)[0])) is { } led)
            {
                written.Add(Level(Next(), Use(led), level));
            }
            else if (!Full() && !kinds.Contains("duty") && job.Responsibilities.FirstOrDefault(Fresh) is { } next)
            {
                kinds.Add("duty");
                usedDuties.Add(next);
                var drawOn = experiences.Where(e => !usedExperiences.Contains(e.Text)).OrderByDescending(e => closeness[(e.Text, next)]).FirstOrDefault();
                written.Add(Duty(Next(), next, drawOn is null ? null : Use(drawOn)));
            }
            else if (!Full() && kinds.Add("deep") && Unused() is { } other)
            {
                written.Add(DeepDive(Next(), Use(other)));
            }
        }

        return [.. written.Take(count)];
    }

    /// <summary>How much an experience says about the person: a figure, ownership, and the skills the job asks for.</summary>
    internal static double Strength(Experience experience, IReadOnlySet<string> jobSkills)
    {
        var verb = experience.Text.Split(' ', 2)[0];
        return (FactExtractor.ResultText.IsMatch(experience.Text) ? 3 : RealFigurePattern().IsMatch(experience.Text) ? 1.5 : 0)
            + (OwnershipVerbs.Contains(verb) ? 2 : 0)
            + (1.5 * Math.Min(2, experience.Skills.Count(s => jobSkills.Contains(s) || (PlanVocabulary.Default.AreaOf(s) is { } a && jobSkills.Contains(a)))))
            + (experience.Skills.Count > 0 ? 0.5 : 0)
            + (experience.Text.Split(' ').Length >= 6 ? 0.5 : 0);
    }

    private static readonly HashSet<string> OwnershipVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "led", "owned", "founded", "launched", "architected", "built", "designed", "created", "drove", "spearheaded", "established",
        "introduced", "pioneered", "shipped", "grew", "rebuilt", "redesigned", "migrated", "scaled", "negotiated", "closed", "hired",
    };

    private static readonly HashSet<string> LeadershipVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "led", "co-led", "owned", "founded", "co-founded", "launched", "architected", "drove", "spearheaded", "established", "introduced",
        "pioneered", "grew", "hired", "mentored", "coached", "trained", "managed", "directed", "championed", "coordinated", "organised",
        "organized", "ran", "set", "defined", "presented", "negotiated", "restructured", "transformed", "facilitated", "guided",
    };

    // A skill the job has is mentioned by any of its spellings, those that need a field too ("incident", "on-call" for
    // incident response): the job already showed the field.
    private static bool Mentions(string text, string skill) =>
        PlanVocabulary.Default.Skills.FirstOrDefault(s => s.Name == skill).Pattern?.IsMatch(text) == true
        || PlanVocabulary.Default.ContextSkills.Any(s => s.Name == skill && s.Pattern.IsMatch(text));

    /// <summary>How close in meaning each experience is to each job duty (or job skill) and each skill the résumé lacks.</summary>
    private static async Task<Dictionary<(string, string), double>> ClosenessAsync(
        List<Experience> experiences, IReadOnlyList<string> targets, IReadOnlyList<string> gaps, Meaning meaning, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string), double>();
        var all = targets.Concat(gaps).Distinct(StringComparer.Ordinal).ToList();
        if (experiences.Count == 0 || all.Count == 0)
        {
            return result;
        }

        // A skill is embedded with its spellings ("Terraform terraform"; "data pipelines etl airflow") so its meaning has words to hold on to.
        var vectors = await meaning.EmbedAsync(
            [.. experiences.Select(e => e.Text), .. all.Select(t => PlanVocabulary.Default.AliasesOf(t) is { Count: > 0 } spellings ? t + " " + string.Join(' ', spellings) : t)],
            cancellationToken);
        for (var e = 0; e < experiences.Count; e++)
        {
            for (var t = 0; t < all.Count; t++)
            {
                result[(experiences[e].Text, all[t])] = Cosine(vectors[e], vectors[experiences.Count + t]);
            }
        }

        return result;
    }

    private static PlanQuestion Bridge(string id, Experience experience, string duty, bool dutyIsSkill, int variant) => new(
        id,
        (dutyIsSkill, variant % 3) switch
        {
            (true, _) => $"Your résumé says you {experience.Text}, and this role asks for {duty}. What did you do yourself in that work, which decisions were yours, and what would you bring from it to this job?",
            (_, 0) => $"Your résumé says you {experience.Text}. This role asks you to {duty}. What did you do yourself in that work, what was the hardest decision, and what would you bring from it to this job?",
            (_, 1) => $"Tell me about the time you {experience.Text}. How does that prepare you to {duty} here, and what would you do differently this time?",
            _ => $"You {experience.Text}. In this job you would {duty}: which parts of that experience carry over, and which would not?",
        },
        PlanQuestion.Written, Categories.Behavioral, 2, ["role-fit", "ownership"],
        [
            Own(experience.Text),
            Point($"Connects that work to what the role needs: {Short(duty)}", CuesFrom(duty, Aliases(duty))),
            Decisions,
            Result,
        ],
        ["What would you do differently if you did that work again for this team?"],
        null, new PlanEvidence(experience.Text, duty));

    private static PlanQuestion SkillInContext(string id, Experience experience, string skill, string? duty) => new(
        id,
        (duty is null ? $"You {experience.Text}, and this job asks for {skill} as well. " : $"You {experience.Text}, and here you would {duty}. ")
            + (PlanVocabulary.Default.IsTool(skill) || char.IsUpper(skill[0])
                ? $"What was the hardest problem you solved with {skill} in that work, which options did you weigh, and how did it turn out?"
                : "What was the hardest problem in that work, which options did you weigh, and how did it turn out?"),
        PlanQuestion.Written, Categories.Technical, 2, ["technical-depth", "problem-solving"],
        [
            Point($"Describes a concrete, hard problem solved with {skill}", CuesFrom(experience.Text, Aliases(skill), "problem", "challeng*", "hard")),
            Point("Compares the options they considered", ["option*", "alternative*", "compar*", "consider*", "instead", "approach*"]),
            Decisions,
            Result,
        ],
        [$"How would you explain that {skill} decision to someone outside your field?"],
        null, new PlanEvidence(experience.Text, duty ?? skill));

    private static PlanQuestion Measured(string id, Experience experience) => new(
        id,
        $"You {experience.Text}. How did you measure that result, where did things stand before you started, and which part of it was down to you rather than the team?",
        PlanQuestion.Written, Categories.Behavioral, 2, ["impact", "ownership"],
        [
            Own(experience.Text),
            Point("Explains how the result was measured and the starting point", ["measur*", "baseline", "before", "tracked", "metric*", "dashboard*", "compared", "from"]),
            Point("Separates their own contribution from the team's", ["i did", "my part", "myself", "personally", "the team", "we", "my role", "i owned"]),
            Result,
        ],
        ["What would you do to make that result last after you left?"],
        null, new PlanEvidence(experience.Text, null));

    private static PlanQuestion ToolGap(string id, string tool, string? related, IReadOnlyList<string> known) => new(
        id,
        related is not null
            ? $"This job uses {tool}, and your résumé shows {related}. What would carry over from your {related} work, what would be new, and how would you get productive with {tool} in your first weeks?"
            : $"This team works in {tool}, which your résumé does not mention, though it lists {Join(known)}. How did you get up to speed with {(known.Count == 1 ? "it" : "those")}, and what would you do in your first weeks to get productive with {tool}?",
        PlanQuestion.Written, Categories.Situational, 2, ["learning", "self-awareness"],
        [
            Point("Is honest about what they have not done yet", ["haven't", "have not", "not yet", "new to", "limited", "honest*", "gap", "no direct"]),
            Point("Names what carries over from the tools they know", CuesFrom(string.Join(' ', known), [.. known.SelectMany(Aliases)], "similar", "transfer*", "same", "used")),
            Point($"Shows some understanding of {tool}", CuesFrom(tool, Aliases(tool))),
            Point("Gives a concrete way to learn it quickly", ["course*", "practice", "mentor*", "documentation", "docs", "side project*", "pair*", "tutorial*"]),
        ],
        [$"Which part of {tool} do you expect to find hardest, and why?"],
        null, new PlanEvidence(related ?? known[0], tool));

    private static PlanQuestion Gap(string id, string skill, Experience? near) => new(
        id,
        near is not null
            ? PlanVocabulary.Default.IsTool(skill) || char.IsUpper(skill[0])
                ? $"This job uses {skill}, which your résumé does not mention. What from the time you {near.Text} would help you learn it, and what would you do in your first weeks to get productive with {skill}?"
                : $"This job asks for {skill}, which your résumé does not mention. What from the time you {near.Text} would carry over, and how would you build up experience of {skill} in the first months?"
            : $"This job asks for {skill}, which your résumé does not mention. What is the closest thing you have done, and how would you get up to speed in your first weeks?",
        PlanQuestion.Written, Categories.Situational, 2, ["learning", "self-awareness"],
        [
            Point("Is honest about what they have not done yet", ["haven't", "have not", "not yet", "new to", "limited", "honest*", "gap", "no direct"]),
            Point("Names the closest related experience", CuesFrom(near?.Text ?? string.Empty, [], "similar", "closest", "related", "transfer*", "used")),
            Point($"Shows some understanding of {skill}", CuesFrom(skill, Aliases(skill))),
            Point("Gives a concrete way to learn it quickly", ["course*", "practice", "mentor*", "documentation", "docs", "side project*", "pair*", "tutorial*"]),
        ],
        [$"Which part of {skill} do you expect to find hardest, and why?"],
        null, new PlanEvidence(near?.Text, skill));

    private static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        1 => items[0],
        2 => $"{items[0]} and {items[1]}",
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    private static PlanQuestion Duty(string id, string duty, Experience? drawOn) => new(
        id,
        drawOn is null
            ? $"In this role you would {duty}. How would you approach that in your first three months, and how would you know it was working?"
            : $"In this role you would {duty}. Drawing on the time you {drawOn.Text}, how would you approach it in your first three months, and how would you know it was working?",
        PlanQuestion.Written, Categories.Situational, 2, ["planning", "role-fit"],
        [
            Point("Starts by learning the context and the people involved", ["listen*", "learn*", "understand*", "meet*", "ask*", "context", "stakeholder*", "current"]),
            Point($"Sets out concrete steps for: {Short(duty)}", CuesFrom(duty, Aliases(duty), "first", "plan*", "step*")),
            Point("Says how they would know it is working", ["measure*", "metric*", "success", "feedback", "kpi*", "goal*", "check*", "track*"]),
            Point("Draws on something they have done before", drawOn is null ? ["before", "in my last", "previous*", "at my", "similar", "experience"] : CuesFrom(drawOn.Text, [], "before", "previous*", "similar")),
        ],
        ["What would you need from your manager to get started?"],
        null, new PlanEvidence(drawOn?.Text, duty));

    private static PlanQuestion Level(string id, Experience experience, string level) => new(
        id,
        level is "senior" or "lead"
            ? $"This is {(level == "lead" ? "a leadership" : "a senior")} role. When you {experience.Text}, which decisions did others depend on you to make, and how did you bring people along?"
            : $"This is {(level is "intern" ? "an internship" : "a junior role")}, so learning fast matters. When you {experience.Text}, what did you have to learn along the way, and how did you go about it?",
        PlanQuestion.Written, Categories.Behavioral, level is "senior" or "lead" ? 3 : 2, level is "senior" or "lead" ? ["leadership", "influence"] : ["learning", "ownership"],
        level is "senior" or "lead"
            ? [
                Own(experience.Text),
                Point("Shows how they brought others along", ["team", "mentor*", "align*", "persuad*", "convinc*", "coach*", "others", "stakeholder*"]),
                Decisions,
                Result,
            ]
            : [
                Own(experience.Text),
                Point("Names what they had to learn", ["learn*", "new to", "didn't know", "had to", "first time", "read", "course*"]),
                Point("Explains how they learned it", ["asked", "mentor*", "documentation", "docs", "practice*", "tried", "pair*", "feedback"]),
                Result,
            ],
        [level is "senior" or "lead" ? "Tell me about someone who disagreed with one of those decisions." : "What would you learn first in this job, and how?"],
        null, new PlanEvidence(experience.Text, level));

    private static PlanQuestion DeepDive(string id, Experience experience) => new(
        id,
        FactExtractor.ResultText.IsMatch(experience.Text)
            ? $"Walk me through the time you {experience.Text}. What was your own part, what went wrong along the way, and how did you measure the result?"
            : $"Walk me through the time you {experience.Text}. What was your own part, what went wrong along the way, and what difference did it make?",
        PlanQuestion.Written, Categories.Behavioral, 2, ["ownership", "impact"],
        [
            Own(experience.Text),
            Point("Describes a setback and how they handled it", ["problem*", "wrong", "setback", "mistake", "fail*", "issue*", "blocked", "recover*"]),
            Result,
            Point("Reflects on what they learned", ["learn*", "lesson*", "differently", "next time", "hindsight", "would change"]),
        ],
        ["What would you change if you did it again?"],
        null, new PlanEvidence(experience.Text, null));

    /// <summary>
    /// A bank question that names a skill the job asks for ("incident", "on-call" for incident response)
    /// is preferred, the job's most-mentioned skills most: sentence vectors of interview questions lie close together,
    /// so the named skills keep an SRE job's incident question above a general one about maintainable code.
    /// </summary>
    private static double SkillFit(Question question, IReadOnlyList<string> jobSkills)
    {
        var vocabulary = PlanVocabulary.Default;
        var fit = jobSkills
            .Where(s => !vocabulary.SoftSkills.Contains(s))
            .Select((s, i) => (Skill: s, Weight: i < 3 ? SkillWeight : SkillWeight / 2))
            .Where(s => Mentions(question.Text, s.Skill))
            .Sum(s => s.Weight);
        return Math.Min(fit, 2 * SkillWeight);
    }

    /// <summary>A junior job prefers easier bank questions and a senior one harder ones; the level never outweighs the meaning.</summary>
    private static double LevelFit(Question question, string? seniority) => seniority switch
    {
        "intern" or "junior" => question.Difficulty >= 3 ? -0.05 : 0,
        "senior" or "lead" => question.Difficulty <= 1 ? -0.03 : 0,
        _ => 0,
    };

    /// <summary>
    /// Two questions that ask the same thing in other words: most of their content words (by stem) are shared.
    /// Template words ("tell", "time", "what") do not count.
    /// </summary>
    internal static bool NearDuplicate(string a, string b)
    {
        var x = ContentStems(a);
        var y = ContentStems(b);
        if (x.Count == 0 || y.Count == 0)
        {
            return false;
        }

        // Three shared topic words is one story asked for twice ("a dashboard you built, who used it" and "you built 25
        // Looker dashboards used by…"): the candidate would answer both with the same example.
        var shared = x.Intersect(y).Count();
        return shared >= 3 || (double)shared / x.Union(y).Count() >= 0.5 || (double)shared / Math.Min(x.Count, y.Count) >= 0.75;
    }

    /// <summary>The topic words of a question, cut to five letters, without its frame ("tell me about a time").</summary>
    internal static HashSet<string> ContentStems(string text) =>
    [
        .. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value)
            .Where(w => w.Length >= 3 && !StopWords.Contains(w) && !QuestionWords.Contains(w))
            .Select(w => w.Length > 5 ? w[..5] : w),
    ];

    private static readonly HashSet<string> QuestionWords = new(StringComparer.Ordinal)
    {
        "tell", "time", "what", "how", "why", "when", "where", "did", "does", "would", "could", "can", "you", "your", "about", "walk",
        "describe", "give", "example", "there", "they", "them", "which", "one", "had", "not", "any", "it's", "was",
        // The written questions' own frame, so that only their facts are compared.
        "résumé", "says", "asks", "role", "job", "this", "here", "hardest", "decision", "decisions", "bring", "measure", "measured",
        "result", "started", "before", "months", "month", "first", "three", "working", "approach", "weeks", "productive", "carry",
        "over", "learn", "learning", "along", "way", "part", "problem", "options", "weigh", "turn", "out", "things", "stand",
        "rather", "than", "down", "differently", "prepare", "know", "would", "yourself", "rely", "relied", "others", "people",
        "senior", "junior", "leadership", "fast", "matters", "mention", "mentions", "lists", "team", "teams", "drawing", "went",
        "wrong", "what", "own", "get", "speed", "closest", "thing", "done", "have", "help", "pick", "build", "new", "uses", "works",
        "make", "made", "makes", "easy", "keep", "take", "took", "every", "sure", "well", "good", "great", "just", "such", "way",
    };

    // Words every job uses ("manage", "improve", "build"): a shared one says nothing about whether a question fits the job.
    private static readonly HashSet<string> GenericWorkStems = new(StringComparer.Ordinal)
    {
        "manag", "impro", "build", "built", "lead", "led", "own", "owned", "owner", "work", "day", "daily", "deliv", "creat", "ensur",
        "drive", "drivi", "strong", "help", "using", "use", "new", "compa", "busin",
    };

    // Words of any working week ("plan", "week", "year", "goal"): a general question sharing only these with a job's duties
    // ("How do you organise your week?" with "weekly rota") is still generic.
    private static readonly HashSet<string> GenericPlanStems = new(StringComparer.Ordinal)
    {
        "plan", "plans", "plann", "week", "weekl", "year", "years", "month", "goal", "goals", "time", "prior", "organ", "chang", "origi",
        "five", "career", "role", "compa", "want", "staff", "peopl", "colle",
    };

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

    // A figure that is a result or a scale ("40%", "2 million", "£3M", "12 people"), not a year ("2019").
    [GeneratedRegex(@"\d+(?:[.,]\d+)?\s*(?:%|x\b|k\b|m\b|percent|million|thousand|hours?|days?|weeks?|people|engineers|customers|users|accounts)|[$£€]\s*\d|\b(?!(?:19|20)\d\d\b)\d{1,3}(?:,\d{3})*\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RealFigurePattern();

    [GeneratedRegex(@"[^a-z0-9'%$\- ]+", RegexOptions.CultureInvariant)]
    private static partial Regex CueUnsafe();

    [GeneratedRegex(@"^[a-z0-9'%$][a-z0-9'%$\-]*(?: [a-z0-9'%$\-]+){0,3}\*?$", RegexOptions.CultureInvariant)]
    private static partial Regex CuePattern();

    /// <summary>Texts as vectors: the embedding model when there is one, otherwise hashed word counts (so cosine still ranks by shared words).</summary>
    private sealed class Meaning(IEmbeddingGenerator<string, Embedding<float>>? generator, string? model)
    {
        public string Name => generator is null ? "words" : $"embeddings:{model}";

        public bool IsModel => generator is not null;

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
