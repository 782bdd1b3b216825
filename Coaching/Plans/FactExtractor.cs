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

    // The fewest words of a line that names the candidate's charge ("Budget owner for …"); shorter ones are titles.
    private const int MinChargeWords = 7;

    public static ResumeFacts FromResume(string text, PlanVocabulary? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        vocabulary ??= PlanVocabulary.Default;
        var experiences = new List<Experience>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in Segments(text))
        {
            // The profile or summary line, an aspiration ("I want to move into…", "Now looking for…") and current studies say
            // what the candidate wants, not what they did: none of them is asked back as work done. A line that ends in one
            // ("Led the rota, and now want to move into SRE") keeps what comes before it.
            if (vocabulary.IsProfileHeading(segment.Section))
            {
                continue;
            }

            var line = segment.Text;
            if (AspirationPattern().Match(line) is { Success: true } wish)
            {
                var before = AspirationLeadPattern().Replace(line[..wish.Index], string.Empty).TrimEnd(' ', ',', ';', '-', '–', '—');
                if (before.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 4)
                {
                    continue;
                }

                line = before;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = words.Length > 1 && words[0] is "I" or "i" ? 1 : 0;

            // A line that names the candidate's charge rather than a verb ("Budget owner for front-office labour (£540k),
            // cutting overtime…", "Audit lead for outcome measures across 4 clinics") is often the best evidence: it is said
            // back as "you were budget owner for…". Long lines only: "Engineering Manager for Payments" is a title.
            if (words.Length >= MinChargeWords && ChargeLinePattern().IsMatch(line))
            {
                var charge = words.ToArray();
                if (!charge[0].Skip(1).Any(char.IsUpper))
                {
                    charge[0] = charge[0].ToLowerInvariant();
                }

                var said = Phrase(["were", .. charge], MaxExperienceWords) is { } c ? SecondPerson(WithResult(c, "were " + string.Join(' ', charge))) : null;
                said = said is null ? null : Balanced(said);
                if (said is not null && seen.Add(said))
                {
                    experiences.Add(new Experience(said, SkillsIn(line, vocabulary), FigurePattern().IsMatch(line)));
                }

                continue;
            }

            if (words.Length - start < 3 || vocabulary.PastTenseOf(Clean(words[start])) is not { } past)
            {
                continue;
            }

            // "Planned and reactive maintenance on 30 sites" opens with a word that is a verb elsewhere, but "and" joins it to
            // an adjective: a noun phrase, which "you planned and reactive maintenance" would garble.
            if (words.Length > start + 2 && Clean(words[start + 1]) == "and" && Clean(words[start + 2]) is var joined
                && vocabulary.PastTenseOf(joined) is null && !joined.EndsWith("ed", StringComparison.Ordinal) && !vocabulary.IrregularPast.Values.Contains(joined))
            {
                continue;
            }

            // A line in the present tense ("I run the on-call rota", "Own the billing service") is an experience too, said
            // back in the past tense so that every question frame reads ("the time you ran…"). A present-tense word before
            // a capitalised one is a job title ("Lead Engineer, Acme"), not a verb; before a figure it is a verb ("Monitor 9 sites").
            if (!vocabulary.ActionVerbs.Contains(Clean(words[start])))
            {
                if (char.IsUpper(words[start + 1][0]))
                {
                    continue;
                }

                words[start] = past;

                // Every verb coordinated with the first is put in the past too ("ran the rota … and acted as incident lead").
                PastCoordinated(words, start, vocabulary);
            }

            // The phrase is said back to the candidate ("Your résumé says you led your team…"), so its pronouns are theirs.
            var phrase = Phrase(words[start..], MaxExperienceWords) is { } p ? SecondPerson(WithResult(p, string.Join(' ', words[start..]))) : null;
            phrase = phrase is null ? null : Balanced(phrase);
            if (phrase is not null && seen.Add(phrase))
            {
                experiences.Add(new Experience(phrase, SkillsIn(line, vocabulary), FigurePattern().IsMatch(line)));
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

            // The title line ("Support Operations Manager") opens with a word that can be a verb; it is no duty.
            if (title is not null && string.Equals(segment.Text, title, StringComparison.Ordinal))
            {
                continue;
            }

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
            Years(body) ?? Years(text), RoleOf(title, body, vocabulary))
        {
            Alternatives = [.. kept.SelectMany(line => AlternativesIn(line, vocabulary))],
        };
    }

    /// <summary>
    /// Skills a line names as alternatives: neighbours joined by "or" or "/" ("Power BI or Tableau", "AWS, Azure or GCP").
    /// A list joined by commas and "and" asks for all of them.
    /// </summary>
    private static IEnumerable<IReadOnlyList<string>> AlternativesIn(string line, PlanVocabulary vocabulary)
    {
        var named = vocabulary.Skills
            .SelectMany(s => s.Pattern.Matches(line).Select(m => (s.Name, m.Index, End: m.Index + m.Length)))
            .OrderBy(m => m.Index)
            .ThenByDescending(m => m.End)
            .ToList();
        named = [.. named.Where(n => !named.Any(o => o != n && o.Index <= n.Index && o.End >= n.End && o.End - o.Index > n.End - n.Index))];
        var group = new List<string>();
        var hasOr = false;
        for (var i = 0; i < named.Count; i++)
        {
            var between = i == 0 ? null : line[Math.Min(named[i - 1].End, named[i].Index)..named[i].Index];
            if (between is not null && AlternativeSeparatorPattern().Match(between) is { Success: true } separator)
            {
                hasOr |= separator.Value.Contains("or", StringComparison.Ordinal) || separator.Value.Contains('/');
                group.Add(named[i].Name);
                continue;
            }

            if (hasOr && group.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                yield return [.. group.Distinct(StringComparer.Ordinal)];
            }

            group = [named[i].Name];
            hasOr = false;
        }

        if (hasOr && group.Distinct(StringComparer.Ordinal).Count() > 1)
        {
            yield return [.. group.Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The bank role a job reads like: its title counts five times as much as the rest of the text; a title that names no
    /// bank role gives none.
    /// </summary>
    internal static string? RoleOf(string? title, string text, PlanVocabulary vocabulary)
    {
        // A title between two bank roles ("Customer Success Manager", "Analytics Engineer") says which role leads.
        if (vocabulary.RolesForTitle(title) is [var titled, ..])
        {
            return titled;
        }

        // A title that names no bank role ("Product Marketing Manager", "Financial Analyst") is a job the bank has no role
        // for, whatever the rest of the text mentions: "sales enablement" does not make a marketer a salesperson. Its bank
        // questions are then chosen by meaning from every role.
        if (title is not null && !vocabulary.Roles.Any(r => r.Pattern.IsMatch(title)))
        {
            return null;
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

            // The highest level named wins in the title; in the body the first mention does. A level word counts only where
            // it names a level: before the noun it describes ("senior engineer", "a junior role"), or at the end of a title
            // ("Design Lead"). "Lead go-to-market" or "senior stakeholders" say what the work is, not the job's level.
            var found = vocabulary.Seniority
                .SelectMany(s => s.Pattern.Matches(source).Where(m => NamesLevel(source, m, source == title, vocabulary)).Select(m => (s.Level, Match: m)))
                .ToList();

            // A grade above the first ("Clinical Research Associate II", "Engineer 3") is no entry-level job, whatever
            // its title's words: "associate" there is the job, not its level.
            if (source == title && GradePattern().IsMatch(title))
            {
                found.RemoveAll(f => f.Level is "junior" or "intern");
            }

            if (found.Count > 0)
            {
                var levels = vocabulary.Seniority.Select(s => s.Level).ToList();
                return source == title ? found.OrderBy(s => levels.IndexOf(s.Level)).Last().Level : found.OrderBy(s => s.Match.Index).First().Level;
            }
        }

        return null;
    }

    private static bool NamesLevel(string source, Match match, bool isTitle, PlanVocabulary vocabulary)
    {
        if (vocabulary.StandaloneLevels.Contains(match.Value.Trim().TrimEnd('s')) || vocabulary.StandaloneLevels.Contains(match.Value.Trim()))
        {
            return true;
        }

        var after = WordPattern().Matches(source[(match.Index + match.Length)..]).Select(m => m.Value).Take(4).ToList();
        if (after.Take(3).Any(w => vocabulary.LevelNouns.Contains(w.TrimEnd('s')) || vocabulary.LevelNouns.Contains(w)))
        {
            return true;
        }

        // In a title a capitalised word follows a level ("Lead Product Marketer"), or nothing does ("Engineering Lead").
        return isTitle && (after.Count == 0 || char.IsUpper(after[0][0]));
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
        foreach (var (name, pattern, context) in vocabulary.ContextSkills)
        {
            var matches = pattern.Matches(text).ToList();
            if (matches.Count == 0 || !context.Matches(text).Any(c => matches.All(m => c.Index != m.Index)))
            {
                continue;
            }

            var at = found.FindIndex(f => f.Name == name);
            if (at >= 0)
            {
                found[at] = (name, [.. found[at].Matches, .. matches]);
            }
            else
            {
                found.Add((name, matches));
            }
        }

        // A spelling inside a longer one of another skill is that skill's: "testing" in "A/B testing", "databases" in
        // "vector databases", "API" in "OpenAI API".
        // A spelling inside a phrase that names something else is not the skill: "warehouse" in "warehouse management system".
        var notSkills = vocabulary.NotSkills.Matches(text).ToList();
        bool Inside(string name, Match match) => found.Any(o => o.Name != name && o.Matches.Any(m =>
            m.Length > match.Length && m.Index <= match.Index && m.Index + m.Length >= match.Index + match.Length))
            || notSkills.Any(m => m.Index <= match.Index && m.Index + m.Length >= match.Index + match.Length);

        return
        [
            .. found
                .Select(s => (s.Name, Matches: s.Matches.Where(m => !Inside(s.Name, m)).ToList()))
                .Where(s => s.Matches.Count > 0)
                .OrderByDescending(s => s.Matches.Count)
                .ThenBy(s => s.Matches.Min(m => m.Index))
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
            // With no such word the line is not cut mid-phrase ("handled investigational medicinal product"): it is not used.
            // A word that needs what follows ("accountable for", "responsible for") is never the last.
            var at = Enumerable.Range(4, maxWords - 3).Reverse()
                .FirstOrDefault(i => CutBefore.Contains(clauseWords[i]) && !NeedsComplement.Contains(clauseWords[i - 1]));
            if (at == 0)
            {
                return null;
            }

            // A cut before the "to" of "from £24 to £15" would keep half a result ("cut cost per acquisition from £24"): the
            // figure it goes to is kept with it.
            if (clauseWords[at].Equals("to", StringComparison.OrdinalIgnoreCase) && at + 1 < clauseWords.Length && clauseWords[at + 1].Any(char.IsDigit)
                && clauseWords[Math.Max(0, at - 4)..at].Any(w => w.Equals("from", StringComparison.OrdinalIgnoreCase)))
            {
                at = Math.Min(clauseWords.Length, at + (at + 2 < clauseWords.Length && UnitWords.Contains(clauseWords[at + 2].TrimEnd(',')) ? 3 : 2));
            }

            var kept = clauseWords[..at].ToList();
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

    /// <summary>
    /// The phrase with the line's result when the phrase was cut before it: "ran A/B tests on the application flow" from
    /// "Ran A/B tests on the application flow, which lifted completion by 9%" keeps ", which lifted completion by 9%", so a
    /// question about how a result was measured has the result to ask about.
    /// </summary>
    private static string WithResult(string phrase, string line)
    {
        if (ResultText.IsMatch(phrase) || !ResultText.IsMatch(line))
        {
            return phrase;
        }

        var cut = ClauseEndPattern().Matches(line).FirstOrDefault(m => ResultText.IsMatch(line[m.Index..]));
        if (cut is null || line[..cut.Index].TrimEnd('.', ',').Length < phrase.Length - 1)
        {
            return phrase;
        }

        var rest = line[cut.Index..].TrimStart(';', ':', ',', ' ', '(', '-', '–', '—');
        var next = ClauseEndPattern().Match(rest);
        var clause = (next.Success ? rest[..next.Index] : rest).Trim().TrimEnd('.', ';', ',', ':', '!', ')');
        var words = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 2 or > 14 || !ResultText.IsMatch(clause) || clause.Count(c => c == '(') != clause.Count(c => c == ')'))
        {
            return phrase;
        }

        // A clause with its own subject ("picking accuracy reached 99.6%", after a ";") is joined with "and", never as a comma
        // splice; a participle or relative clause ("cutting errors by 40%", "which lifted…") follows a comma.
        return phrase + (DependentStartPattern().IsMatch(clause) && !GerundSubjectPattern().IsMatch(clause) ? ", " : ", and ") + clause;
    }

    /// <summary>
    /// The verbs coordinated with a present-tense line's first verb, put in the past as it was: "…rota and act as incident
    /// lead" → "…and acted as incident lead", "investigated faults and write reports" → "…and wrote reports". A word that is
    /// as often a noun ("and support tickets") is a verb only before a word that cannot follow a noun there.
    /// </summary>
    private static void PastCoordinated(string[] words, int start, PlanVocabulary vocabulary)
    {
        for (var i = start + 2; i < words.Length - 1; i++)
        {
            var joined = words[i - 1] is "and" or "&" || words[i - 1].EndsWith(',');
            var word = words[i];
            if (!joined || word.Length == 0 || !char.IsLower(word[0]) || vocabulary.ActionVerbs.Contains(Clean(word))
                || vocabulary.PastTenseOf(Clean(word)) is not { } past)
            {
                continue;
            }

            if (NounLikeVerbs.Contains(Clean(word)) && !VerbFollowers.Contains(Clean(words[i + 1])))
            {
                continue;
            }

            words[i] = past + word[Clean(word).Length..];
        }
    }

    /// <summary>A phrase with its parentheses whole: one cut inside a parenthesis ("to an SD-WAN (Meraki, Fortinet") ends before it.</summary>
    private static string? Balanced(string phrase)
    {
        if (phrase.Count(c => c == '(') == phrase.Count(c => c == ')'))
        {
            return phrase;
        }

        var open = phrase.IndexOf('(', StringComparison.Ordinal);
        var close = phrase.IndexOf(')', StringComparison.Ordinal);
        var cut = open >= 0 && (close < 0 || open < close) ? open : phrase.LastIndexOf(',', close >= 0 ? close : phrase.Length - 1);
        var kept = cut > 0 ? phrase[..cut].TrimEnd(' ', ',', ';') : string.Empty;
        return kept.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3 && kept.Count(c => c == '(') == kept.Count(c => c == ')') ? kept : null;
    }

    // Words that are verbs and nouns alike; coordinated after "and" they are put in the past only before one of VerbFollowers.
    private static readonly HashSet<string> NounLikeVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "support", "design", "plan", "test", "release", "control", "process", "review", "change", "record", "lead", "contract",
        "forecast", "budget", "schedule", "research", "cost", "service", "report", "audit", "train", "monitor", "project", "target",
        "model", "benchmark", "market", "staff", "source", "track", "order", "ship", "present", "document", "answer", "check",
    };

    private static readonly HashSet<string> VerbFollowers = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "as", "my", "our", "their", "all", "every", "each", "new", "weekly", "monthly", "daily", "them", "it",
        "up", "out", "on", "with", "to", "for", "over", "across", "both", "two", "three",
    };

    // The unit after a figure that ends a "from X to Y" result ("from 12 days to 7 days").
    private static readonly HashSet<string> UnitWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "days", "hours", "minutes", "weeks", "months", "seconds", "people", "percent", "points", "tickets", "steps",
    };

    private static readonly HashSet<string> NeedsComplement = new(StringComparer.OrdinalIgnoreCase)
    {
        "accountable", "responsible", "able", "used", "close", "committed", "dedicated", "according", "due", "prior", "subject",
        // "working closely with", "get the most from", "take part in", "keep track of", "make use of", "take ownership of".
        "closely", "together", "most", "part", "track", "use", "ownership", "charge", "care", "sense", "aware", "advantage",
    };

    /// <summary>
    /// A stated result rather than a scale: a percentage, money won or saved (not "a £40M business"), "from 6 hours to 90
    /// minutes", or a change by a figure ("lifted completion by 9%", not "built 12 dashboards").
    /// </summary>
    internal static readonly Regex ResultText = new(
        @"\d\s*%|\bpercent|\b(?:saved|saving|generated|generating|closed|won|brought in|added|delivered|raised)\b(?:\s+\S+){0,4}?\s+[$£€]\s*\d|\bfrom\s+\S*\d.*?\bto\s+\S*\d|\b(?:doubl|halv|tripl|quadrupl)\w*|\b(?:cut|cutting|reduc\w*|increas\w*|rais(?:ed|ing)|grew|lift(?:ed|ing)?|boost\w*|lower(?:ed|ing)|decreas\w*|improv\w*|sav(?:ed|ing)|exceed\w*|shortened|sped)\b(?:\s+\S+){0,8}?\s+(?:by|to)\s+\S*\d|\d+(?:\.\d+)?\s*(?:x|times)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));

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

    // "Budget owner for", "Clinical lead for", "Audit lead on", "Fire marshal for": up to three words, then a noun of charge
    // and "for", "of" or "on".
    [GeneratedRegex(@"^(?:[\w&/-]+\s+){0,3}?(?:owner|lead|champion|coordinator|marshal|sponsor|chair|representative|rep|point of contact|in charge)\s+(?:for|of|on)\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChargeLinePattern();

    private static string Clean(string word) => word.Trim(',', '.', ';', ':', '(', ')', '"', '\'').ToLowerInvariant();

    [GeneratedRegex(@"^(?:[-*•●▪◦·–—>]|\d{1,2}[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"(?<=[a-z0-9%)][.!?])\s+(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex SentencePattern();

    // An "-ing" word that is the subject of its own clause: "picking accuracy reached 99.6%", "billing errors fell by 30%".
    [GeneratedRegex(@"^\w+ing(?:\s+\w+){0,2}\s+(?:reached|rose|fell|grew|dropped|improved|increased|decreased|went|hit|doubled|halved|stayed|was|were)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GerundSubjectPattern();

    [GeneratedRegex(@"^(?:which|who|that|resulting|leading|so|to|with|while|where|and|but|\w+ing)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DependentStartPattern();

    // What the candidate wants or is studying for, not what they did.
    [GeneratedRegex(@"\b(?:(?:I|i)\s+am\s+(?:studying|training|moving|looking|hoping|keen|eager|aiming|seeking|working towards|transitioning)|(?:currently\s+)?studying\s+(?:for|towards|toward)|(?:now\s+)?looking\s+(?:for|to)|moving\s+(?:towards|toward|into)|(?:want|wants|wanting|hope|hoping|aim|aiming|would like|aspire|aspiring)\s+to\s+(?:move|transition|grow|step|pivot|become|work|join|build|develop|get|find|take)|seeking\s+(?:a|an|my|to|new)|keen\s+to|eager\s+to|career\s+change|transitioning\s+(?:in)?to)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AspirationPattern();

    // The joining words before an aspiration at the end of a line ("…, and I now want", "… and now").
    [GeneratedRegex(@"[\s,;]*(?:\b(?:and|but|so|I|i|now|am|currently)\b[\s,;]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex AspirationLeadPattern();

    [GeneratedRegex(@"\b(?:II|III|IV|V|[2-9])\s*$|\b(?:II|III|IV|[2-9])\b(?=\s*[,(–—-])", RegexOptions.CultureInvariant)]
    private static partial Regex GradePattern();

    [GeneratedRegex(@"^\s*(?:,\s*(?:or\s+)?|or\s+|and/or\s+|/\s*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlternativeSeparatorPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

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

    // "5+ years of experience", "3–5 years' hands-on experience", "2 years experience". The words between are a greedy loop:
    // the source generator's code for a lazy one inside this pattern threw ArgumentOutOfRangeException on "1–3 years in IT
    // operations, service desk or security." (a range whose years are not followed by "experience").
    [GeneratedRegex(@"(\d{1,2})\s*\+?\s*(?:[-–]\s*\d{1,2}\s*)?(?:years?|yrs?)\b'?(?:\s+of)?(?:\s+[\w-]+){0,3}\s+experience", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearsPattern();
}
