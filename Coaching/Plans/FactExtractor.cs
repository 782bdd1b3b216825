using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// Extracts the facts a plan needs by rules: the text is cut into bullets and sentences, skills are found from the
/// vocabulary, experiences are résumé lines that open with an action verb ("Migrated…", "I led…"), duties are job
/// lines that open with a duty verb ("Build…", "You will own…") or sit under a responsibilities heading.
/// </summary>
internal static partial class FactExtractor
{
    private const int MaxExperienceWords = 20;
    private const int MaxDutyWords = 18;

    public static ResumeFacts FromResume(string text, PlanVocabulary? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        vocabulary ??= PlanVocabulary.Default;
        var experiences = new List<Experience>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in Segments(text))
        {
            var words = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = words.Length > 1 && words[0] is "I" or "i" ? 1 : 0;
            if (words.Length - start < 3 || !vocabulary.ActionVerbs.Contains(Clean(words[start])))
            {
                continue;
            }

            // The phrase is said back to the candidate ("Your résumé says you led your team…"), so its pronouns are theirs.
            var phrase = Phrase(words[start..], MaxExperienceWords) is { } p ? SecondPerson(p) : null;
            if (phrase is not null && seen.Add(phrase))
            {
                experiences.Add(new Experience(phrase, SkillsIn(segment.Text, vocabulary), FigurePattern().IsMatch(segment.Text)));
            }
        }

        // A tool implies the skill it belongs to: a résumé with PostgreSQL knows SQL, one with BigQuery data warehousing.
        var skills = SkillsIn(text, vocabulary);
        skills.AddRange(skills.Select(vocabulary.AreaOf).OfType<string>().Distinct(StringComparer.Ordinal).Where(a => !skills.Contains(a)).ToList());
        return new ResumeFacts(skills, experiences, Years(text));
    }

    public static JobFacts FromJob(string text, PlanVocabulary? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        vocabulary ??= PlanVocabulary.Default;
        var firstLine = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        var title = firstLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is > 0 and <= 10 && !firstLine.EndsWith('.')
            ? firstLine.TrimEnd(':').Trim()
            : null;

        var duties = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var kept = new List<string>();
        var levelLines = new List<string>();
        string? section = null;
        var inBoilerplate = false;
        foreach (var segment in Segments(text))
        {
            // Boilerplate (the company blurb, benefits, "we are hiring", equal-opportunity text) is neither a skill nor a duty.
            if (!string.Equals(segment.Section, section, StringComparison.Ordinal))
            {
                section = segment.Section;
                inBoilerplate = vocabulary.IsBoilerplateHeading(section);
            }

            if (LevelLinePattern().IsMatch(segment.Text))
            {
                levelLines.Add(segment.Text);
            }

            var isHeading = !segment.Bullet && !segment.Text.EndsWith('.') && segment.Text.Split(' ').Length <= 8;
            if (isHeading && vocabulary.IsBoilerplateHeading(segment.Text))
            {
                inBoilerplate = true;
                continue;
            }

            if (inBoilerplate || vocabulary.BoilerplatePhrases.IsMatch(segment.Text))
            {
                continue;
            }

            kept.Add(segment.Text);
            var words = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = YouWillPattern().Match(segment.Text) is { Success: true } you ? you.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length : 0;
            if (words.Length - start < 3)
            {
                continue;
            }

            // "Build…", or "Builds…" under a heading: the base form is what the question quotes.
            var first = Clean(words[start]);
            var verb = vocabulary.JobVerbs.Contains(first) ? first
                : first.EndsWith('s') && vocabulary.JobVerbs.Contains(first[..^1]) ? first[..^1]
                : null;
            if (verb is null)
            {
                continue;
            }

            words[start] = verb;
            var phrase = Phrase(words[start..], MaxDutyWords);
            if (phrase is not null && seen.Add(phrase))
            {
                duties.Add(phrase);
            }
        }

        var body = string.Join('\n', kept);
        var titled = (title ?? string.Empty) + "\n" + body;
        return new JobFacts(title, SkillsIn(titled, vocabulary), duties, Seniority(title, string.Join('\n', levelLines), vocabulary),
            Years(body) ?? Years(text), RoleOf(title, body, vocabulary));
    }

    /// <summary>The bank role a job reads like: its title counts five times as much as the rest of the text.</summary>
    internal static string? RoleOf(string? title, string text, PlanVocabulary vocabulary)
    {
        // A title between two bank roles ("Customer Success Manager", "Analytics Engineer") says which role leads.
        if (vocabulary.RolesForTitle(title) is [var titled, ..])
        {
            return titled;
        }

        var best = vocabulary.Roles
            .Select(r => (r.Role, Score: 5 * (title is null ? 0 : r.Pattern.Count(title)) + r.Pattern.Count(text)))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score)
            .ThenBy(r => Roles.All.ToList().IndexOf(r.Role))
            .FirstOrDefault();
        return best.Role;
    }

    private static string? Seniority(string? title, string text, PlanVocabulary vocabulary)
    {
        foreach (var source in new[] { title, text })
        {
            if (source is null)
            {
                continue;
            }

            // The highest level named wins in the title; in the body the first mention does.
            var found = vocabulary.Seniority.Select(s => (s.Level, Match: s.Pattern.Match(source))).Where(s => s.Match.Success).ToList();
            if (found.Count > 0)
            {
                return source == title ? found[^1].Level : found.OrderBy(s => s.Match.Index).First().Level;
            }
        }

        return null;
    }

    private static int? Years(string text)
    {
        var years = YearsPattern().Matches(text)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(y => y is > 0 and < 45)
            .ToList();
        return years.Count == 0 ? null : years.Min();
    }

    private static List<string> SkillsIn(string text, PlanVocabulary vocabulary)
    {
        var found = vocabulary.Skills
            .Select(s => (s.Name, Matches: s.Pattern.Matches(text).ToList()))
            .Where(s => s.Matches.Count > 0)
            .ToList();

        // A spelling inside a longer one of another skill is that skill's: "testing" in "A/B testing", "databases" in
        // "vector databases", "API" in "OpenAI API".
        bool Inside(string name, Match match) => found.Any(o => o.Name != name && o.Matches.Any(m =>
            m.Length > match.Length && m.Index <= match.Index && m.Index + m.Length >= match.Index + match.Length));

        return
        [
            .. found
                .Select(s => (s.Name, Matches: s.Matches.Where(m => !Inside(s.Name, m)).ToList()))
                .Where(s => s.Matches.Count > 0)
                .OrderByDescending(s => s.Matches.Count)
                .ThenBy(s => s.Matches[0].Index)
                .Select(s => s.Name),
        ];
    }

    /// <summary>The lines and sentences of a document, each with the heading it sits under.</summary>
    internal static IEnumerable<(string Text, string? Section, bool Bullet)> Segments(string text)
    {
        string? section = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var bullet = BulletPattern().Match(line);
            var isBullet = bullet.Success;
            if (isBullet)
            {
                line = line[bullet.Length..].Trim();
            }

            var wordCount = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            if (!isBullet && wordCount <= 6 && !line.EndsWith('.') && (line.EndsWith(':') || wordCount <= 4))
            {
                section = line.TrimEnd(':').Trim();
                if (line.EndsWith(':'))
                {
                    continue;
                }
            }

            foreach (var sentence in SentencePattern().Split(line))
            {
                var trimmed = sentence.Trim();
                if (trimmed.Length > 0)
                {
                    yield return (WhitespacePattern().Replace(trimmed, " "), section, isBullet);
                }
            }
        }
    }

    /// <summary>The first clause of a line, at most <paramref name="maxWords"/> words, its verb in lower case.</summary>
    private static string? Phrase(string[] words, int maxWords)
    {
        var joined = string.Join(' ', words);
        var cut = ClauseEndPattern().Match(joined);
        var clause = (cut.Success ? joined[..cut.Index] : joined).Trim().TrimEnd('.', ';', ',', ':', '!');
        var clauseWords = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (clauseWords.Length < 3)
        {
            return null;
        }

        if (clauseWords.Length > maxWords)
        {
            // Cut before the last preposition that fits, so the phrase ends where a phrase ends ("…teams across EMEA and
            // APAC…" → "…teams"), never in the middle of a list or after a joining word.
            var at = Enumerable.Range(4, maxWords - 3).Reverse().FirstOrDefault(i => CutBefore.Contains(clauseWords[i]));
            var kept = clauseWords[..(at > 0 ? at : maxWords)].ToList();
            while (kept.Count > 3 && JoiningWords.Contains(kept[^1].TrimEnd(',')))
            {
                kept.RemoveAt(kept.Count - 1);
            }

            if (kept.Count < 4 || kept[^1].EndsWith(','))
            {
                return null;
            }

            clauseWords = [.. kept];
        }

        clauseWords[0] = clauseWords[0].ToLowerInvariant();
        return string.Join(' ', clauseWords);
    }

    private static readonly HashSet<string> CutBefore = new(StringComparer.OrdinalIgnoreCase)
    {
        "for", "across", "with", "in", "at", "to", "from", "through", "over", "into", "using", "via", "within", "including",
        "while", "after", "before", "during", "on",
    };

    /// <summary>A résumé phrase said back to its author: "my team" → "your team", "our platform" → "the platform".</summary>
    internal static string SecondPerson(string phrase) => PronounPattern().Replace(phrase, m => m.Value.ToLowerInvariant() switch
    {
        "my" => "your",
        "mine" => "yours",
        "myself" => "yourself",
        "i" or "me" => "you",
        "our" => "the",
        "we" or "us" => "the team",
        _ => m.Value,
    });

    private static readonly HashSet<string> JoiningWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "by", "at", "from", "into", "as", "that", "which", "our", "their", "its",
        "across", "over", "through", "about", "between", "within", "via", "per", "while", "including",
    };

    private static string Clean(string word) => word.Trim(',', '.', ';', ':', '(', ')', '"', '\'').ToLowerInvariant();

    [GeneratedRegex(@"^(?:[-*•●▪◦·–—>]|\d{1,2}[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"(?<=[a-z0-9%)][.!?])\s+(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex SentencePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@";|:\s|\s[–—-]\s|,\s(?:which|resulting|leading|while|so that|using|where)\b|\(", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseEndPattern();

    [GeneratedRegex(@"^(?:you will|you'll|you’ll|you would|the role will|this role will|in this role,? you will)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YouWillPattern();

    [GeneratedRegex(@"\b(?:my|mine|myself|I|me|our|we|us)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PronounPattern();

    // Only lines about the role itself say its level: "present to senior leaders" or "lead workshops" do not.
    [GeneratedRegex(@"\b(?:looking for|seeking|hiring|join|position|role|level|experience as|title)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LevelLinePattern();

    [GeneratedRegex(@"\d|percent", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FigurePattern();

    [GeneratedRegex(@"(\d{1,2})\s*\+?\s*(?:[-–]\s*\d{1,2}\s*)?(?:years?|yrs?)(?:\s+of)?(?:\s+\w+){0,3}?\s+experience", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearsPattern();
}
