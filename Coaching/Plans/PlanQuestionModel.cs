using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Fallback;
using Polly.Timeout;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// A plan's own questions written by the LLM providers of the advice chain, inside a JSON schema, and checked: each must
/// be a question, have a category the bank knows and a rubric of 3–5 points with cue words, and name a fact — a résumé
/// skill or experience, or a job skill, duty or title — in its text, quoting that fact in <c>basedOn</c>. Output that is
/// not the schema's JSON falls back to the next provider and, after the last, to the rule-based questions; a question that
/// fails its check is dropped and its place goes to a rule-based one.
/// </summary>
internal sealed partial class PlanQuestionModel : IDisposable
{
    public const string SchemaName = "plan_questions";

    private const int MaxText = 400;

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["questions"],
          "properties": {
            "questions": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["text", "category", "competencies", "rubric", "basedOn"],
                "properties": {
                  "text": { "type": "string" },
                  "category": { "type": "string", "enum": ["behavioral", "situational", "technical", "motivation"] },
                  "competencies": { "type": "array", "items": { "type": "string" } },
                  "rubric": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["point", "cues"],
                      "properties": { "point": { "type": "string" }, "cues": { "type": "array", "items": { "type": "string" } } }
                    }
                  },
                  "basedOn": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["resume", "job"],
                    "properties": { "resume": { "type": ["string", "null"] }, "job": { "type": ["string", "null"] } }
                  }
                }
              }
            }
          }
        }
        """).RootElement.Clone();

    private readonly List<(string Source, string Model, IChatClient Client, ResiliencePipeline<List<PlanQuestion>?> Pipeline)> _links = [];
    private readonly List<HttpClient> _http = [];
    private readonly ILogger<PlanQuestionModel> _logger;

    public PlanQuestionModel(IOptions<LlmOptions> options, TimeProvider time, ILogger<PlanQuestionModel> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        foreach (var provider in options.Value.Providers)
        {
            var kind = LlmProviderKinds.Resolve(provider.Kind);
            var model = kind is null ? null : LlmProviderKinds.ModelOf(provider);
            if (kind is null || model is null || (LlmProviderKinds.NeedsKey(kind, AdviceChatClients.BaseUrl(provider)) && string.IsNullOrWhiteSpace(provider.ApiKey)))
            {
                continue;
            }

            var http = LlmHttp.CreateClient();
            _http.Add(http);
            var index = _links.Count;
            var pipeline = new ResiliencePipelineBuilder<List<PlanQuestion>?> { TimeProvider = time }
                .AddFallback(new FallbackStrategyOptions<List<PlanQuestion>?>
                {
                    // Anything but the caller's own cancellation moves on to the next provider (or, after the last, to the rules).
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                    FallbackAction = async args =>
                    {
                        var request = args.Context.Properties.GetValue(RequestKey, null!);
                        request.Failure = WhyFailed(args.Outcome.Exception);
                        return Outcome.FromResult<List<PlanQuestion>?>(await WriteFromAsync(index + 1, request, args.Context.CancellationToken));
                    },
                    OnFallback = args =>
                    {
                        Log.PlanQuestionsFellBack(_logger, LlmProviderKinds.SourceName(kind), args.Outcome.Exception?.GetType().Name ?? "none");
                        return ValueTask.CompletedTask;
                    },
                })
                .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(provider.TimeoutSeconds) })
                .Build();
            _links.Add((LlmProviderKinds.SourceName(kind), model, AdviceChatClients.Create(provider, http, time), pipeline));
        }
    }

    private static readonly ResiliencePropertyKey<WriteRequest> RequestKey = new("coachbot.plan.request");

    /// <summary>True when at least one provider is configured.</summary>
    public bool Enabled => _links.Count > 0;

    /// <summary>
    /// The questions the first provider that answers well wrote (checked), or, when none did, an empty list with why; null
    /// when no provider is configured.
    /// </summary>
    public async Task<PlanModelReply?> WriteAsync(
        ResumeFacts resume, JobFacts job, string role, int count, CancellationToken cancellationToken)
    {
        if (_links.Count == 0 || count <= 0)
        {
            return null;
        }

        var request = new WriteRequest(resume, job, role, count);
        var written = await WriteFromAsync(0, request, cancellationToken);
        return written is null
            ? new PlanModelReply([], null, request.Failure ?? "the model did not answer", 0)
            : new PlanModelReply(written, request.WrittenBy ?? "model", null, request.Dropped) { Reasons = request.Reasons, CutOff = request.CutOff };
    }

    /// <summary>A check's reason without the words it quotes from the question ("a leading question ('surely')" → "a leading question").</summary>
    private static string PlainReason(string reason) => QuotedPartPattern().Replace(reason, string.Empty).Trim();

    [GeneratedRegex(@"\s*\('[^']*'\)", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPartPattern();

    /// <summary>Why a provider's questions are not in the plan, in words a user reads after "rules (…)".</summary>
    private static string WhyFailed(Exception? exception) => exception switch
    {
        LlmOutputException => "the model's reply could not be read",
        TimeoutRejectedException => "the model did not answer in time",
        null => "the model did not answer",
        _ => "the model could not be reached",
    };

    private async Task<List<PlanQuestion>?> WriteFromAsync(int index, WriteRequest request, CancellationToken cancellationToken)
    {
        if (index >= _links.Count)
        {
            return null;
        }

        var link = _links[index];
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await link.Pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var (model, link, request) = state;
                    var response = await link.Client.GetResponseAsync(Prompt(request), new ChatOptions
                    {
                        ModelId = link.Model,
                        Temperature = 0.4f,
                        MaxOutputTokens = 2000,
                        ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, SchemaName, "Interview questions for one candidate and one job."),
                    }, ctx.CancellationToken);
                    var dropped = new List<string>();
                    var questions = Check(response.Text, request.Resume, request.Job, request.Count, dropped, out var cutOff);
                    request.WrittenBy = $"{link.Source} ({response.ModelId ?? link.Model})";
                    request.Dropped = dropped.Count;
                    request.Reasons = [.. dropped.Select(PlainReason)];
                    request.CutOff = cutOff;
                    if (cutOff)
                    {
                        Log.PlanReplyCutOff(model._logger, link.Source, questions.Count + dropped.Count);
                    }

                    foreach (var reason in dropped)
                    {
                        Log.PlanQuestionDropped(model._logger, link.Source, reason);
                    }

                    Log.PlanQuestionsWritten(model._logger, link.Source, questions.Count);
                    return questions;
                },
                context,
                (this, link, request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static List<ChatMessage> Prompt(WriteRequest request)
    {
        var facts = new
        {
            role = request.Role,
            job = new { title = request.Job.Title, seniority = request.Job.Seniority, skills = request.Job.Skills, duties = request.Job.Responsibilities },
            resume = new { skills = request.Resume.Skills, experiences = request.Resume.Experiences.Select(e => e.Text) },
        };
        return
        [
            new ChatMessage(ChatRole.System,
                "You write interview questions for one candidate and one job. Use only the facts given; invent nothing. " +
                "Every question names one fact from the résumé or the job in its own words (a skill by its name, an experience or a duty by its key words), " +
                "and basedOn quotes that fact exactly as given (resume, job, or both). Each question has 3 to 5 rubric points; each point has 2 to 8 lower-case cue words " +
                "an answer covering it would use. Categories: behavioral, situational, technical, motivation. Reply with JSON only, in the given schema."),
            new ChatMessage(ChatRole.User,
                $"Write {request.Count} questions for this plan.\nFacts: {JsonSerializer.Serialize(facts)}"),
        ];
    }

    /// <summary>Parses and checks the model's reply: the questions that pass, or an exception when the reply is not the schema's JSON.</summary>
    internal static List<PlanQuestion> Check(string? text, ResumeFacts resume, JobFacts job, int count, List<string>? dropped = null) =>
        Check(text, resume, job, count, dropped, out _);

    /// <summary>
    /// Parses and checks the model's reply; <paramref name="cutOff"/> says the reply ended inside its questions array and
    /// only the complete questions before the cut were read.
    /// </summary>
    internal static List<PlanQuestion> Check(string? text, ResumeFacts resume, JobFacts job, int count, List<string>? dropped, out bool cutOff)
    {
        dropped ??= [];
        JsonElement root;
        (var json, cutOff) = ReplyJson(text ?? string.Empty);
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException ex)
        {
            throw new LlmOutputException("The reply is not JSON: " + ex.Message);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("questions", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new LlmOutputException("The reply has no questions array.");
        }

        var resumeFacts = resume.Skills.Concat(resume.Experiences.Select(e => e.Text)).ToList();
        var jobFacts = job.Skills.Concat(job.Responsibilities).Concat(job.Title is null ? [] : [job.Title]).ToList();
        var checkedQuestions = new List<PlanQuestion>();
        foreach (var item in items.EnumerateArray())
        {
            if (checkedQuestions.Count >= count || item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var questionText = Str(item, "text")?.Trim();
            var category = questionText is null ? null : CategoryOf(Str(item, "category"), questionText);
            var rubric = item.TryGetProperty("rubric", out var r) && r.ValueKind == JsonValueKind.Array
                ? r.EnumerateArray().Select(p => new RubricPoint(
                        (Str(p, "point") ?? string.Empty).Trim(),
                        [.. Strs(p, "cues").Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length is > 1 and < 40)]))
                    .Where(p => p.Point.Length is > 3 and < 200 && p.Cues.Count > 0).ToList()
                : [];
            var basedOn = item.TryGetProperty("basedOn", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
            var resumeFact = basedOn.ValueKind == JsonValueKind.Object ? Match(Str(basedOn, "resume"), resumeFacts) : null;
            var jobFact = basedOn.ValueKind == JsonValueKind.Object ? Match(Str(basedOn, "job"), jobFacts) : null;
            if (questionText is not { Length: >= 20 and <= MaxText } || category is null)
            {
                dropped.Add("no question text of 20 to 400 characters");
                continue;
            }

            if (rubric.Count is < 3 or > 5)
            {
                dropped.Add($"a rubric of {rubric.Count} usable points, not 3 to 5");
                continue;
            }

            if ((resumeFact is null && jobFact is null) || !(Names(questionText, resumeFact) || Names(questionText, jobFact)))
            {
                dropped.Add("names no fact of the résumé or the job");
                continue;
            }

            // Hung on a real fact is not enough: a question that must never reach a user, or says what neither document does;
            // checked whole, so a protected topic or an invented tool in a second ask still drops the question.
            var evidence = new PlanEvidence(resumeFact, jobFact);
            if (Unaskable(questionText, resume, job, checkedQuestions, evidence, category) is { } reason)
            {
                dropped.Add(reason);
                continue;
            }

            // A question that asks two unrelated things at once keeps its first ask (the one hung on the fact), and the rubric
            // points that belong to the second go with it.
            if (FirstAsk(questionText, resumeFact, jobFact, jobFacts) is { } first)
            {
                var secondStems = InterviewPlanner.ContentStems(questionText[first.Length..]);
                var firstStems = InterviewPlanner.ContentStems(first);
                rubric = [.. rubric.Where(p => InterviewPlanner.ContentStems(p.Point + " " + string.Join(' ', p.Cues)) is var stems
                    && !(stems.Overlaps(secondStems) && !stems.Overlaps(firstStems)))];
                questionText = first.TrimEnd(' ', ',', ';', '-', '—', '–').TrimEnd('.', '?') + (first.TrimEnd().EndsWith('.') ? "." : "?");
                if (rubric.Count < 3 || questionText.Length < 20 || !(Names(questionText, resumeFact) || Names(questionText, jobFact)))
                {
                    dropped.Add("asks two things at once, and its first ask alone is not a whole question");
                    continue;
                }

                if (Unaskable(questionText, resume, job, checkedQuestions, evidence, category) is { } again)
                {
                    dropped.Add(again);
                    continue;
                }
            }

            var competencies = Strs(item, "competencies").Select(c => c.Trim().ToLowerInvariant().Replace(' ', '-')).Where(c => c.Length is > 2 and < 40).Take(3).ToList();
            checkedQuestions.Add(new PlanQuestion(
                $"plan-{checkedQuestions.Count + 1:D2}", questionText, PlanQuestion.Written, category, 2,
                competencies.Count > 0 ? competencies : ["role-fit"], rubric, [], null, evidence));
        }

        return checkedQuestions;
    }

    /// <summary>
    /// The one JSON object in a reply, whatever prose or Markdown fence is around it ("Here are the questions: ```json …```",
    /// as local models often write), read from its first "{" to the brace that closes it. A reply cut off inside its
    /// questions array (the model ran out of tokens) keeps the complete questions before the cut, as
    /// <c>{"questions": [...]}</c>, with <c>CutOff</c> set; cut off before its first complete question, or not JSON where
    /// the object should be, it is refused. Limit: prose holding a "{" of its own before the object is not told apart.
    /// </summary>
    internal static (string Json, bool CutOff) ReplyJson(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            throw new LlmOutputException("The reply holds no JSON object.");
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text[start..]);
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        var items = new List<string>();
        var inQuestions = false;
        var itemStart = -1L;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        inQuestions = reader.ValueTextEquals("questions"u8);
                        break;
                    case JsonTokenType.StartObject when inQuestions && reader.CurrentDepth == 2:
                        itemStart = reader.TokenStartIndex;
                        break;
                    case JsonTokenType.EndObject when inQuestions && reader.CurrentDepth == 2 && itemStart >= 0:
                        items.Add(System.Text.Encoding.UTF8.GetString(bytes, (int)itemStart, (int)(reader.BytesConsumed - itemStart)));
                        itemStart = -1;
                        break;
                    case JsonTokenType.EndArray when reader.CurrentDepth == 1:
                        inQuestions = false;
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 0:
                        // The object is whole: what follows it (a closing fence, a sentence) is not read.
                        return (System.Text.Encoding.UTF8.GetString(bytes, 0, (int)reader.BytesConsumed), false);
                }
            }
        }
        catch (JsonException ex)
        {
            throw new LlmOutputException("The reply is not JSON: " + ex.Message);
        }

        return items.Count > 0
            ? ("{\"questions\":[" + string.Join(',', items) + "]}", true)
            : throw new LlmOutputException("The reply was cut off before its first complete question.");
    }

    /// <summary>
    /// The first ask of a question that asks a second, unrelated thing after it ("Tell me how you ran the rota, and what is
    /// your view on linking reviews to pay?"), or null when it asks one thing. The first part must itself ask something
    /// ("Tell me…", "How…", or end in "?"); the second, after ", and what/how/why…" or in a sentence after a "?", is a second
    /// ask when it asks an opinion ("what is your view", "what do you think") or brings at least three topic words found
    /// neither in the first nor in the facts the question is based on. A follow-on about the same story ("…, and what would
    /// you do differently?") and a bridge to the job's duty ("…, and how would you use it to run our payroll?") are one ask, and so is a second ask that names any duty, skill or title of the job.
    /// </summary>
    internal static string? FirstAsk(string question, string? resumeFact = null, string? jobFact = null, IEnumerable<string>? jobFacts = null)
    {
        foreach (Match split in SecondAskPattern().Matches(question))
        {
            var first = question[..split.Index];
            var lastSentence = first[(first.TrimEnd('?', ' ').LastIndexOfAny(['.', '!', '?']) + 1)..];
            if (!first.TrimEnd().EndsWith('?') && !AskFramePattern().IsMatch(lastSentence))
            {
                continue;
            }

            var second = question[split.Index..];
            var extra = InterviewPlanner.ContentStems(second);
            extra.ExceptWith(InterviewPlanner.ContentStems(first));
            extra.ExceptWith(InterviewPlanner.ContentStems((resumeFact ?? string.Empty) + " " + (jobFact ?? string.Empty)));

            // A second ask that names a duty, skill or title of the job (by two of its topic words) asks about the job
            // itself, whichever fact the model quoted: "…, and how would you make sure lessons are shared with the shift
            // supervisors?" for a job that asks for exactly that is one question.
            foreach (var fact in jobFacts ?? [])
            {
                if (Names(second, fact))
                {
                    extra.ExceptWith(InterviewPlanner.ContentStems(fact));
                }
            }

            if (extra.Count >= 3 || OpinionAskPattern().IsMatch(second))
            {
                return first;
            }
        }

        return null;
    }

    /// <summary>
    /// The bank category a model's category stands for ("behavioural", "competency", "scenario", "culture fit"), or, when
    /// its word says nothing, the one the question's own frame shows ("Tell me about a time…" behavioral, "What would you
    /// do if…" situational, "Why…" motivation). A good question is never lost for a label.
    /// </summary>
    internal static string CategoryOf(string? category, string question)
    {
        var word = (category ?? string.Empty).Trim().ToLowerInvariant();
        if (Categories.All.Contains(word))
        {
            return word;
        }

        if (CategoryWords.FirstOrDefault(c => word.Contains(c.Word, StringComparison.Ordinal)) is { Category: { } named })
        {
            return named;
        }

        return SituationalFramePattern().IsMatch(question) ? Categories.Situational
            : MotivationFramePattern().IsMatch(question) ? Categories.Motivation
            : BehavioralFramePattern().IsMatch(question) ? Categories.Behavioral
            : Categories.Technical;
    }

    private static readonly (string Word, string Category)[] CategoryWords =
    [
        ("behavio", Categories.Behavioral), ("competenc", Categories.Behavioral), ("experience", Categories.Behavioral), ("star", Categories.Behavioral),
        ("leadership", Categories.Behavioral), ("situation", Categories.Situational), ("scenario", Categories.Situational),
        ("hypothetical", Categories.Situational), ("case", Categories.Situational), ("judg", Categories.Situational),
        ("technical", Categories.Technical), ("skill", Categories.Technical), ("knowledge", Categories.Technical), ("domain", Categories.Technical),
        ("motivat", Categories.Motivation), ("culture", Categories.Motivation), ("career", Categories.Motivation), ("fit", Categories.Motivation),
        ("values", Categories.Motivation),
    ];

    /// <summary>
    /// Why a question that names a real fact must still not be asked, or null: a protected topic, the job ad's benefits
    /// or equal-opportunity text, an employer, product or figure found in no fact the model was given, a leading
    /// question, or one that asks what an earlier question of the plan already asks.
    /// </summary>
    internal static string? Unaskable(
        string question, ResumeFacts resume, JobFacts job, IReadOnlyList<PlanQuestion> earlier, PlanEvidence? basedOn = null, string? category = null)
    {
        if (ProtectedPattern().Match(question) is { Success: true } personal)
        {
            return $"asks about a protected personal topic ('{personal.Value.ToLowerInvariant()}')";
        }

        if (BenefitsPattern().Match(question) is { Success: true } perk)
        {
            return $"asks about the job ad's benefits or equal-opportunity text ('{perk.Value.ToLowerInvariant()}')";
        }

        if (LeadingPattern().Match(question) is { Success: true } leading)
        {
            return $"a leading question ('{leading.Value.ToLowerInvariant()}')";
        }

        var facts = string.Join('\n', resume.Skills.Concat(resume.Experiences.Select(e => e.Text)).Concat(job.Skills).Concat(job.Responsibilities)
            .Append(job.Title ?? string.Empty).Append(job.Seniority ?? string.Empty).Append(resume.Years?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
        var factDigits = DigitsPattern().Matches(facts).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        if (DigitsPattern().Matches(FirstDaysPattern().Replace(question, string.Empty)).Select(m => m.Value).FirstOrDefault(d => !factDigits.Contains(d)) is { } figure)
        {
            return $"names a figure found in neither document ('{figure}')";
        }

        // A tool in neither document, however it is written ("ragas scores" as well as "Ragas"): only tools the vocabulary
        // knows are caught in lower case; an unknown lower-case product name is not told from an English word.
        var knownTools = PlanVocabulary.Default.ToolsNamedIn(facts).Concat(resume.Skills).Concat(job.Skills).ToHashSet(StringComparer.Ordinal);
        if (PlanVocabulary.Default.ToolsNamedIn(question).FirstOrDefault(t => !knownTools.Contains(t)) is { } tool)
        {
            return $"names a tool found in neither document ('{tool}')";
        }

        foreach (Match name in NamePattern().Matches(question))
        {
            // The first word of a sentence is capitalised anyway; a name is a capitalised word elsewhere.
            var before = question[..name.Index].TrimEnd();
            if (before.Length == 0 || before[^1] is '.' or '?' or '!' or ':' or '"' or '“' or '(' || CommonCapitals.Contains(name.Value)
                || facts.Contains(name.Value, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return $"names an employer, product or name found in neither document ('{name.Value}')";
        }

        // The same ask is the same fact asked the same way: two questions on different facts, or one a story and the other
        // a scenario, may share concrete words ("the 40 duty managers", "night shifts") and still ask different things.
        if (earlier.FirstOrDefault(q => InterviewPlanner.NearDuplicate(q.Text, question)
                && (basedOn is null || SameFact(q.BasedOn, basedOn)) && (category is null || q.Category == category)) is { } same)
        {
            return $"asks what {same.Id} already asks";
        }

        return null;
    }

    private static bool SameFact(PlanEvidence? a, PlanEvidence b) =>
        a is not null && ((a.Resume is not null && a.Resume == b.Resume) || (a.Job is not null && a.Job == b.Job));

    private static readonly HashSet<string> CommonCapitals = new(StringComparer.Ordinal)
    {
        "I", "I'm", "I've", "I'd", "STAR", "CV", "OK", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "January", "February",
        "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Q1", "Q2", "Q3", "Q4",
        "KPI", "KPIs", "OKR", "OKRs", "ROI", "SLA", "SLAs", "AI", "UK", "US", "EU",
    };

    /// <summary>
    /// The fact <paramref name="quoted"/> stands for: one of <paramref name="facts"/>, compared without case; or, when the
    /// model quoted only part of a fact ("Ran quarterly KPI reviews of 35 supplier contracts" of a longer résumé line) or
    /// wrote it with other small words, the one fact holding all its topic words (at least two). A good question is never
    /// lost because its quote is shorter than the fact.
    /// </summary>
    internal static string? Match(string? quoted, IReadOnlyList<string> facts)
    {
        if (string.IsNullOrWhiteSpace(quoted))
        {
            return null;
        }

        var quote = quoted.Trim().TrimEnd('.').Trim();
        if (facts.FirstOrDefault(f => f.Equals(quote, StringComparison.OrdinalIgnoreCase)) is { } exact)
        {
            return exact;
        }

        var stems = Lexicon.TopicStems(quote);
        if (stems.Count < 2)
        {
            return null;
        }

        var holding = facts.Where(f => f.Contains(quote, StringComparison.OrdinalIgnoreCase)).ToList();
        if (holding.Count == 0)
        {
            holding = [.. facts.Where(f => Lexicon.TopicStems(f).IsSupersetOf(stems))];
        }

        // Two facts holding the same words: the shortest, the one the quote is most of.
        return holding.OrderBy(f => f.Length).FirstOrDefault();
    }

    /// <summary>
    /// Whether the question names the fact: a skill by its name, a longer phrase by at least two of its topic words
    /// (or its only one).
    /// </summary>
    private static bool Names(string question, string? fact)
    {
        if (fact is null)
        {
            return false;
        }

        if (question.Contains(fact, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var stems = Lexicon.TopicStems(fact);
        var shared = stems.Intersect(Lexicon.TopicStems(question)).Count();
        return stems.Count > 0 && shared >= Math.Min(2, stems.Count);
    }

    // Where a second ask may start: ", and what…", "; how…", " — and why…", or a new sentence after a "?" or ".".
    [GeneratedRegex(@"(?:[,;]\s*|\s+[—–-]\s*|\s+)and\s+(?=(?:what|how|why|which|whether|who|where|when|do|does|did|would|could|can|is|are|should)\b)|(?<=\?)\s+(?=[A-Z][^?]*\?\s*$)", RegexOptions.CultureInvariant)]
    private static partial Regex SecondAskPattern();

    [GeneratedRegex(@"^\s*(?:tell|describe|walk|talk|give|share|explain|how|what|why|which|when|where|who|did|do|does|have|has|can|could|would|will|is|are|if|imagine|suppose)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AskFramePattern();

    [GeneratedRegex(@"\b(?:your (?:view|views|opinion|thoughts|stance|position|take|feelings?) (?:on|about)|what do you think|how do you feel|where do you stand)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpinionAskPattern();

    [GeneratedRegex(@"^\s*(?:what would you do|how would you|imagine|suppose|if you|say you|you (?:join|start|find|are asked|have been asked))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SituationalFramePattern();

    [GeneratedRegex(@"^\s*(?:why\b|what (?:draws|attracts|motivates|interests)|where do you see)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MotivationFramePattern();

    [GeneratedRegex(@"^\s*(?:tell me (?:about|how you)|describe|walk me through|give (?:me )?an example|talk me through|share)|\b(?:a time when|the time you|when you)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BehavioralFramePattern();

    // Topics an interviewer may not ask about (family, age, marriage, religion, origin, health, and the like), asked
    // directly or by a stand-in: age by retirement, the years of work left, "at this stage of your life", a "young" or
    // "energetic" team; family by plans to start one. "Retired the legacy service" is work, not age.
    [GeneratedRegex(@"\b(?:(?:you|you'll|you'd|you will|you would|you plan to|you intend to|you expect to|before|until|till|to) retire\b|retirement(?! of\b)|retiring(?! (?:the|a|an|our|its|legacy|old)\b)|pension age|working life|(?:years?|how long) (?:of work |of working )?(?:left|remaining) (?:in|of|before)|how (?:many|much) (?:more|longer) (?:years )?(?:do|will|would|can|could|are) you|(?:more|further) years (?:do|will|would) you|at this (?:stage|point|time|age) (?:of|in) (?:your|their) (?:career|life|lives)|at your (?:age|stage of life|time of life)|(?:later|late|twilight) (?:in|stage of|years of) (?:your|their) (?:career|working life)|(?:young|younger|youthful|energetic|fresh-faced)(?:,? (?:and )?[\w-]+){0,2} (?:team|teams|workforce|colleagues|company|culture|environment|people|crowd|office|group|staff)|older (?:colleagues|workers|candidates|people)|digital natives?|(?:your|a younger|an older) generation|keep up with (?:younger|the young)|start(?:ing)? a family|settl(?:e|ing) down|have (?:a baby|babies)|expecting a (?:baby|child)|famil(?:y|ies)|child(?:ren)?|kids?|childcare|pregnan\w*|maternity|paternity|parental leave|plan(?:s|ning)? to have|your age|how old|age (?:of|are you)|year of birth|born|retire(?:ment)? plans|marri(?:ed|age)|marital|spouse|husband|wife|girlfriend|boyfriend|single parent|religio\w*|church|mosque|synagogue|faith|pray\w*|worship|nationalit\w*|national origin|citizenship|ethnic\w*|race(?! condition)|racial|where are you (?:from|originally)|your accent|native country|mother tongue|(?:your|personal|mental|physical) health|health (?:conditions?|issues?|problems?)|medical (?:conditions?|history|issues?|leave)|disabilit\w*|disabled|illness|sick(?:ness)? (?:days?|leave|record)|medication|sexual\w*|gender|transgender|union member\w*|criminal record|arrest\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProtectedPattern();

    // The ad's benefits, perks and equal-opportunity text say what the employer offers, not what the candidate did.
    [GeneratedRegex(@"\b(?:benefits? (?:package|we offer|on offer)|(?:our|the company's|the job's|the role's) benefits|perks?|pension|salary|compensation package|bonus scheme|holiday allowance|annual leave|days? (?:of )?holiday|paid time off|PTO|private (?:medical|health)\w*|gym|cycle[- ]to[- ]work|share options|stock options|equal opportunit\w*|EEO|diversity statement|inclusive employer|reasonable adjustments?|wellbeing allowance)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BenefitsPattern();

    // A question that tells the candidate the answer it wants.
    [GeneratedRegex(@"\b(?:you'?d agree|you would agree|wouldn'?t you|don'?t you|didn'?t you|isn'?t it|wasn'?t it|aren'?t you|won'?t you|haven'?t you|shouldn'?t you|surely|I assume you|I take it|no doubt you)\b|,\s*(?:right|correct|yes)\?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingPattern();

    // "Your first 90 days" is the interview's own frame, not a figure about the candidate.
    [GeneratedRegex(@"\bfirst \d+ (?:days|weeks|months)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FirstDaysPattern();

    [GeneratedRegex(@"\d+(?:[.,]\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex DigitsPattern();

    // A capitalised word, or one with capitals inside ("HubSpot", "iPhone").
    [GeneratedRegex(@"\b(?:[A-Z][\w&'’.-]*|[a-z]+[A-Z][\w-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Strs(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
            : [];

    public void Dispose()
    {
        foreach (var link in _links)
        {
            (link.Client as IDisposable)?.Dispose();
        }

        foreach (var http in _http)
        {
            http.Dispose();
        }
    }

    private sealed class WriteRequest(ResumeFacts resume, JobFacts job, string role, int count)
    {
        public ResumeFacts Resume { get; } = resume;

        public JobFacts Job { get; } = job;

        public string Role { get; } = role;

        public int Count { get; } = count;

        public string? WrittenBy { get; set; }

        public string? Failure { get; set; }

        public int Dropped { get; set; }

        public IReadOnlyList<string> Reasons { get; set; } = [];

        public bool CutOff { get; set; }
    }
}

/// <summary>What the model gave a plan: its checked questions and who wrote them, or why there are none.</summary>
/// <param name="Questions">The questions that passed the check (empty when no provider answered well).</param>
/// <param name="WrittenBy">The provider and model that answered ("openai (gpt-4o-mini)"), or null when none did.</param>
/// <param name="Failure">Why no provider's reply was used ("the model's reply could not be read"), or null.</param>
/// <param name="Dropped">How many of the reply's questions failed the check.</param>
internal sealed record PlanModelReply(List<PlanQuestion> Questions, string? WrittenBy, string? Failure, int Dropped)
{
    /// <summary>Why each dropped question failed the check, in plain words with nothing quoted from it.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>True when the reply was cut off inside its questions and only the complete ones before the cut were read.</summary>
    public bool CutOff { get; init; }

    /// <summary>What of the reply is not in the plan and why, for the user; null when nothing was left out.</summary>
    public string? LeftOut()
    {
        var total = Questions.Count + Dropped;
        var parts = new List<string>();
        if (Dropped > 0)
        {
            parts.Add(Dropped == 1 ? $"1 of the model's {total} questions was left out: " + string.Join("; ", Reasons)
                : $"{Dropped} of the model's {total} questions were left out: " + string.Join("; ", Reasons));
        }

        if (CutOff)
        {
            parts.Add($"the model's reply was cut off after {total} questions");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
