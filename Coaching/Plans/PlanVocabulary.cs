using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// The words facts are extracted with, kept as data (<c>plan-vocabulary.json</c>): skills and their spellings,
/// résumé action verbs, job duty verbs, role and seniority words.
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

    private static PlanVocabulary Load()
    {
        using var stream = typeof(PlanVocabulary).Assembly.GetManifestResourceStream("CoachBot.Coaching.Plans.plan-vocabulary.json")
            ?? throw new InvalidOperationException("The plan vocabulary resource is missing from the assembly.");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var aliases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var skills = new List<(string, Regex)>();
        var soft = new HashSet<string>(StringComparer.Ordinal);
        foreach (var skill in root.GetProperty("skills").EnumerateArray())
        {
            var name = skill.GetProperty("name").GetString()!;
            var spellings = skill.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).ToList();
            aliases[name] = spellings;
            if (skill.TryGetProperty("soft", out var isSoft) && isSoft.GetBoolean())
            {
                soft.Add(name);
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
        return vocabulary;
    }

    private static HashSet<string> Words(JsonElement array) =>
        new(array.EnumerateArray().Select(v => v.GetString()!), StringComparer.OrdinalIgnoreCase);

    // Whole words only: "sql" must not match inside "nosql"'s neighbours, "go" never inside "good".
    private static Regex Phrases(IEnumerable<string> phrases) => new(
        @"(?<![\p{L}\p{N}])(?:" + string.Join('|', phrases.OrderByDescending(p => p.Length).Select(p => Regex.Escape(p.Trim()))) + @")(?:e?s)?(?![\p{L}\p{N}#+])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
}
