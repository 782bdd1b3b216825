using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// The words facts are extracted with, kept as data (<c>plan-vocabulary.json</c>): skills and their spellings,
/// résumé action verbs, job duty verbs, role and seniority words, job titles that sit between bank roles, and the
/// headings and phrases of job-ad boilerplate (benefits, "we are hiring", equal-opportunity text, the company blurb).
/// </summary>
internal sealed class PlanVocabulary
{
    private PlanVocabulary(
        IReadOnlyList<(string Name, Regex Pattern)> skills,
        IReadOnlySet<string> actionVerbs,
        IReadOnlySet<string> jobVerbs,
        IReadOnlyList<(string Role, Regex Pattern)> roles,
        IReadOnlyList<(string Level, Regex Pattern)> seniority)
    {
        Skills = skills;
        ActionVerbs = actionVerbs;
        JobVerbs = jobVerbs;
        Roles = roles;
        Seniority = seniority;
    }

    public static PlanVocabulary Default { get; } = Load();

    public IReadOnlyList<(string Name, Regex Pattern)> Skills { get; }

    public IReadOnlySet<string> ActionVerbs { get; }

    public IReadOnlySet<string> JobVerbs { get; }

    public IReadOnlyList<(string Role, Regex Pattern)> Roles { get; }

    public IReadOnlyList<(string Level, Regex Pattern)> Seniority { get; }

    /// <summary>Skills about working with people (leadership, communication…) rather than a tool or a domain.</summary>
    public IReadOnlySet<string> SoftSkills => _soft;

    private HashSet<string> _soft = new(StringComparer.Ordinal);

    /// <summary>The aliases of a skill, for rubric cues.</summary>
    public IReadOnlyList<string> AliasesOf(string skill) => _aliases.GetValueOrDefault(skill) ?? [];

    private Dictionary<string, IReadOnlyList<string>> _aliases = new(StringComparer.Ordinal);

    /// <summary>For a named tool ("Snowflake"), the broader skill it belongs to ("data warehousing"); null for the rest.</summary>
    public string? AreaOf(string skill) => _areas.GetValueOrDefault(skill);

    private Dictionary<string, string> _areas = new(StringComparer.Ordinal);

    /// <summary>Skills that name a field of business ("billing systems") rather than something a person learns to do.</summary>
    public IReadOnlySet<string> Domains { get; private set; } = new HashSet<string>();

    /// <summary>Spellings of a skill that count only in a text with a word of its field (<c>contextAliases</c>).</summary>
    public IReadOnlyList<(string Name, Regex Pattern, Regex Context)> ContextSkills { get; private set; } = [];

    /// <summary>True for a named tool or platform ("dbt", "Figma", "Salesforce").</summary>
    public bool IsTool(string skill) => _areas.ContainsKey(skill);

    /// <summary>Tools whose name is also an everyday word ("Outreach", "Spark"): only the capitalised spelling names the tool.</summary>
    public IReadOnlySet<string> WordTools { get; private set; } = new HashSet<string>();

    /// <summary>
    /// The named tools <paramref name="text"/> mentions, however written ("ragas", "Ragas", "RAGAS"), except a tool whose
    /// name is an everyday word written in lower case ("customer outreach" is not Outreach).
    /// </summary>
    public IEnumerable<string> ToolsNamedIn(string text)
    {
        foreach (var (name, pattern) in Skills)
        {
            if (IsTool(name) && pattern.Matches(text).Any(m => !WordTools.Contains(name) || m.Value.Any(char.IsUpper)))
            {
                yield return name;
            }
        }
    }

    /// <summary>Headings whose section is job-ad boilerplate ("Benefits", "About us"), as lower-case prefixes.</summary>
    public IReadOnlyList<string> BoilerplateHeadings { get; private set; } = [];

    /// <summary>Phrases that mark a sentence as boilerplate ("we are hiring", "learning budget").</summary>
    public Regex BoilerplatePhrases { get; private set; } = new("(?!)");

    /// <summary>
    /// Phrases in which a skill's spelling names something else ("warehouse management system" is not data warehousing,
    /// a "safety incident" report is not incident response): a skill spelling inside one of them is not the skill.
    /// </summary>
    public Regex NotSkills { get; private set; } = new("(?!)");

    /// <summary>Base forms with an irregular past ("run" → "ran"), for résumé lines written in the present tense.</summary>
    public IReadOnlyDictionary<string, string> IrregularPast { get; private set; } = new Dictionary<string, string>();

    /// <summary>Nouns a seniority word describes when it names a level ("senior <em>engineer</em>", "a junior <em>role</em>").</summary>
    public IReadOnlySet<string> LevelNouns { get; private set; } = new HashSet<string>();

    /// <summary>Seniority words that name a level on their own ("internship", "graduate", "head of").</summary>
    public IReadOnlySet<string> StandaloneLevels { get; private set; } = new HashSet<string>();

    /// <summary>
    /// The past tense of a résumé line's first word when it is an action verb in any tense: "Migrated" stays, "Own" and
    /// "Owns" become "owned", "run" becomes "ran"; null when the word is no action verb.
    /// </summary>
    public string? PastTenseOf(string word)
    {
        var w = word.ToLowerInvariant();
        if (ActionVerbs.Contains(w))
        {
            return w;
        }

        // "owns", "manages", "supplies": the third person of a base form.
        var bases = new List<string> { w };
        if (w.EndsWith("ies", StringComparison.Ordinal))
        {
            bases.Add(w[..^3] + "y");
        }

        if (w.EndsWith("es", StringComparison.Ordinal))
        {
            bases.Add(w[..^2]);
        }

        if (w.EndsWith('s'))
        {
            bases.Add(w[..^1]);
        }

        foreach (var b in bases.Where(b => b.Length >= 2))
        {
            if (IrregularPast.TryGetValue(b, out var irregular))
            {
                return irregular;
            }

            string[] regular = [b + "ed", b + "d", b.EndsWith('y') ? b[..^1] + "ied" : b + "ed", b + b[^1] + "ed"];
            if (regular.FirstOrDefault(ActionVerbs.Contains) is { } past)
            {
                return past;
            }
        }

        return null;
    }

    /// <summary>Job titles with the bank roles they draw from, the plan's own role first.</summary>
    public IReadOnlyList<(Regex Title, IReadOnlyList<string> Roles)> Titles { get; private set; } = [];

    /// <summary>True when a line of a job description is boilerplate: under a boilerplate heading or holding a boilerplate phrase.</summary>
    public bool IsBoilerplate(string text, string? section) => IsBoilerplateHeading(section) || BoilerplatePhrases.IsMatch(text);

    /// <summary>Headings of a résumé's profile or summary, as lower-case prefixes: what it says is no experience.</summary>
    public IReadOnlyList<string> ProfileHeadings { get; private set; } = [];

    /// <summary>True when a résumé heading opens its profile or summary ("Profile", "Summary", "Career objective").</summary>
    public bool IsProfileHeading(string? heading) =>
        heading is not null && ProfileHeadings.Any(h => heading.TrimStart('#', ' ', '*').StartsWith(h, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when a heading opens a boilerplate section ("Benefits", "About us", "Why join us").</summary>
    public bool IsBoilerplateHeading(string? heading) =>
        heading is not null && BoilerplateHeadings.Any(h => heading.TrimStart('#', ' ', '*').StartsWith(h, StringComparison.OrdinalIgnoreCase));

    /// <summary>The roles a job title draws bank questions from (the first is the plan's role), or empty when no title entry matches.</summary>
    public IReadOnlyList<string> RolesForTitle(string? title) =>
        title is null ? [] : Titles
            .Select(t => (t.Roles, Length: t.Title.Match(title) is { Success: true } m ? m.Length : 0))
            .Where(t => t.Length > 0)
            .OrderByDescending(t => t.Length)
            .Select(t => t.Roles)
            .FirstOrDefault() ?? [];

    private static PlanVocabulary Load()
    {
        using var stream = typeof(PlanVocabulary).Assembly.GetManifestResourceStream("CoachBot.Coaching.Plans.plan-vocabulary.json")
            ?? throw new InvalidOperationException("The plan vocabulary resource is missing from the assembly.");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var aliases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var skills = new List<(string, Regex)>();
        var soft = new HashSet<string>(StringComparer.Ordinal);
        var areas = new Dictionary<string, string>(StringComparer.Ordinal);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        var contextSkills = new List<(string, Regex, Regex)>();
        foreach (var skill in root.GetProperty("skills").EnumerateArray())
        {
            var name = skill.GetProperty("name").GetString()!;
            var spellings = skill.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).ToList();
            aliases[name] = spellings;
            if (skill.TryGetProperty("soft", out var isSoft) && isSoft.GetBoolean())
            {
                soft.Add(name);
            }

            if (skill.TryGetProperty("domain", out var isDomain) && isDomain.GetBoolean())
            {
                domains.Add(name);
            }

            if (skill.TryGetProperty("area", out var area))
            {
                areas[name] = area.GetString()!;
            }

            // A spelling that names the skill only in one field ("GCP" is Google Cloud among cloud words, Good Clinical Practice
            // in a clinical job; "monitoring" is observability among services and alerts, not compliance monitoring) counts
            // only where the text has a word of that field.
            if (skill.TryGetProperty("contextAliases", out var contextual))
            {
                foreach (var entry in contextual.EnumerateObject())
                {
                    contextSkills.Add((name, Phrases([entry.Name]), Phrases(entry.Value.EnumerateArray().Select(a => a.GetString()!))));
                }
            }

            skills.Add((name, Phrases(spellings)));
        }

        var vocabulary = new PlanVocabulary(
            skills,
            Words(root.GetProperty("actionVerbs")),
            Words(root.GetProperty("jobVerbs")),
            [.. root.GetProperty("roles").EnumerateObject().Select(p => (p.Name, Phrases(p.Value.EnumerateArray().Select(a => a.GetString()!))))],
            [.. root.GetProperty("seniority").EnumerateObject().Select(p => (p.Name, Phrases(p.Value.EnumerateArray().Select(a => a.GetString()!))))]);
        vocabulary._aliases = aliases;
        vocabulary._soft = soft;
        vocabulary._areas = areas;
        if (root.TryGetProperty("wordTools", out var wordTools))
        {
            vocabulary.WordTools = new HashSet<string>(wordTools.EnumerateArray().Select(w => w.GetString()!), StringComparer.Ordinal);
        }

        vocabulary.Domains = domains;
        vocabulary.ContextSkills = contextSkills;
        var boilerplate = root.GetProperty("boilerplate");
        vocabulary.BoilerplateHeadings = [.. boilerplate.GetProperty("headings").EnumerateArray().Select(h => h.GetString()!)];
        vocabulary.BoilerplatePhrases = Phrases(boilerplate.GetProperty("phrases").EnumerateArray().Select(h => h.GetString()!));
        if (root.TryGetProperty("notSkills", out var notSkills))
        {
            vocabulary.NotSkills = Phrases(notSkills.EnumerateArray().Select(h => h.GetString()!));
        }

        if (root.TryGetProperty("profileHeadings", out var profile))
        {
            vocabulary.ProfileHeadings = [.. profile.EnumerateArray().Select(h => h.GetString()!)];
        }

        if (root.TryGetProperty("irregularPast", out var irregular))
        {
            vocabulary.IrregularPast = irregular.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        }

        if (root.TryGetProperty("levelNouns", out var levelNouns))
        {
            vocabulary.LevelNouns = Words(levelNouns);
        }

        if (root.TryGetProperty("standaloneLevels", out var standalone))
        {
            vocabulary.StandaloneLevels = Words(standalone);
        }

        vocabulary.Titles =
        [
            .. root.GetProperty("titles").EnumerateArray().Select(t => (
                Phrases(t.GetProperty("title").EnumerateArray().Select(a => a.GetString()!)),
                (IReadOnlyList<string>)[.. t.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)])),
        ];
        return vocabulary;
    }

    private static HashSet<string> Words(JsonElement array) =>
        new(array.EnumerateArray().Select(v => v.GetString()!), StringComparer.OrdinalIgnoreCase);

    // Whole words only: "sql" must not match inside "nosql"'s neighbours, "go" never inside "good".
    private static Regex Phrases(IEnumerable<string> phrases) => new(
        @"(?<![\p{L}\p{N}])(?:" + string.Join('|', phrases.OrderByDescending(p => p.Length).Select(p => Regex.Escape(p.Trim()))) + @")(?:e?s)?(?![\p{L}\p{N}#+])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
}
