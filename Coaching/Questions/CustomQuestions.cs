using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Questions;

/// <summary>
/// Builds a <see cref="Question"/> for a question that is not in the bank (a manager's own question; one typed as the bank
/// asks it is the bank's):
/// its type and category are inferred from its wording, and its rubric comes from the closest bank questions of the same
/// type or, when none asks the same thing, from the type's generic rubric for that wording.
/// </summary>
public static partial class CustomQuestions
{
    /// <summary>
    /// A bank question lends its rubric when it says at least this share of what the typed question says: the weight of
    /// the content-word stems they share over the weight of the typed question's own, each stem weighted by how rare it is
    /// among the bank's questions (a shared "customer" or "time" says little; a shared "escalate" or "hire" says what the
    /// question is about)…
    /// </summary>
    public const double MinimumCoverage = 0.4;

    /// <summary>…and the shared stems are at least this share of both questions' together (a long bank question that merely contains a short one's words lends nothing).</summary>
    public const double MinimumSimilarity = 0.2;

    /// <summary>Builds a question for <paramref name="text"/>.</summary>
    /// <param name="text">The question as asked.</param>
    /// <param name="role">The role, or null for general.</param>
    /// <param name="bank">The bank to borrow a rubric from.</param>
    /// <remarks>
    /// Its type is read from its wording (<see cref="QuestionTypes"/>; <see cref="CreateAsync"/> reads it by meaning too);
    /// a bank question lends its rubric only when it is of the same type, close enough in its words and not asking the
    /// opposite ("your greatest strength" never borrows the weakness question's points, nor "a deal you won" the lost
    /// deal's). Otherwise the type's own generic rubric for that wording is used.
    /// </remarks>
    public static Question Create(string text, string? role, IQuestionBank bank) => Create(text, role, bank, null);

    /// <summary>Builds a question for <paramref name="text"/>, its type read by <paramref name="types"/> (by wording, else by meaning).</summary>
    internal static async Task<Question> CreateAsync(string text, string? role, IQuestionBank bank, QuestionTypeReader types, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(bank);
        return Asked(text.Trim(), role ?? Roles.General, bank) ?? Create(text, role, bank, await types.ReadAsync(text, cancellationToken));
    }

    /// <summary>
    /// The bank question <paramref name="text"/> is, when it is typed as the bank asks it (case, spacing and punctuation
    /// aside): that question, with its own points and type; one of <paramref name="role"/> first when roles share a wording.
    /// </summary>
    private static Question? Asked(string text, string role, IQuestionBank bank)
    {
        var wording = Wording(text);
        var words = BankWordsOf(bank);
        return bank.Filter(role).Concat(bank.All).FirstOrDefault(q => (words.Wordings.TryGetValue(q, out var asked) ? asked : Wording(q.Text)) == wording);
    }

    private static Question Create(string text, string? role, IQuestionBank bank, QuestionType? read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(bank);
        var trimmed = text.Trim();
        var resolvedRole = role ?? Roles.General;

        if (Asked(trimmed, resolvedRole, bank) is { } asked)
        {
            return asked;
        }

        var recognised = read ?? QuestionTypes.Recognise(trimmed);

        // One bank question lends its rubric, and only when it asks the same kind of question (when the wording says the
        // kind) and says the same marked things: two lenders' points mixed make a rubric for neither question.
        var words = BankWordsOf(bank);
        var stems = ContentStems(trimmed);
        var lender = bank.Filter(resolvedRole)
            .Where(q => (recognised is null || QuestionTypes.Of(q).Id == recognised.Id) && !QuestionTypes.AskOpposites(trimmed, q.Text))
            .Select(q => (Question: q, Stems: words.Stems.GetValueOrDefault(q) ?? ContentStems(q.Text)))
            .Select(x => (x.Question, Coverage: Overlap(stems, x.Stems, stems, words.Weights), Similarity: Overlap(stems, x.Stems, [.. stems.Union(x.Stems)], words.Weights)))
            .Where(x => x.Coverage >= MinimumCoverage && x.Similarity >= MinimumSimilarity)
            .OrderByDescending(x => x.Coverage).ThenByDescending(x => x.Similarity).ThenBy(x => x.Question.Id, StringComparer.Ordinal)
            .Select(x => x.Question).FirstOrDefault();

        // The kind of question: as its wording says, else as the bank question it is closest to, else by its category
        // (a question the wording does not place is typed by its category when scored, so the category carries the kind).
        var category = (recognised ?? (lender is null ? null : QuestionTypes.Of(lender)))?.Category ?? InferCategory(trimmed);
        var type = recognised ?? QuestionTypes.Of(new Question("typed", trimmed, resolvedRole, category, 2, [], [], []));

        IReadOnlyList<RubricPoint> rubric;
        string source;
        IReadOnlyList<string> competencies;
        if (lender is not null)
        {
            rubric = [.. lender.Rubric.DistinctBy(p => p.Point, StringComparer.OrdinalIgnoreCase).Take(6)];
            source = "closest:" + lender.Id;
            competencies = [.. lender.Competencies.Distinct(StringComparer.Ordinal).Take(3)];
        }
        else
        {
            rubric = type.GenericRubricFor(trimmed);
            source = "generic:" + type.Id;
            competencies = ["communication"];
        }

        var id = "custom-" + Fnv(trimmed.ToLowerInvariant()).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        return new Question(id, trimmed, resolvedRole, category, 2, competencies, rubric,
            ["What would you do differently next time?"]) { RubricSource = source, TypeId = recognised?.Id };
    }

    /// <summary>A question's words, lower case, without punctuation or spacing: how two askings are compared.</summary>
    private static string Wording(string text) => string.Join(' ', TextDocument.Parse(text).Tokens.Select(t => t.Lower));

    /// <summary>Infers the category from the question's wording.</summary>
    public static string InferCategory(string text, string? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (BehavioralPattern().IsMatch(text))
        {
            return Categories.Behavioral;
        }

        if (MotivationPattern().IsMatch(text))
        {
            return Categories.Motivation;
        }

        if (SituationalPattern().IsMatch(text))
        {
            return Categories.Situational;
        }

        if (TechnicalPattern().IsMatch(text))
        {
            return Categories.Technical;
        }

        return fallback ?? Categories.Behavioral;
    }

    private static HashSet<string> ContentStems(string text) => Lexicon.TopicStems(text);

    /// <summary>A bank's questions' wordings and content stems and each stem's rarity, worked out once per bank (a loaded bank does not change).</summary>
    private sealed record BankWords(Dictionary<string, double> Weights, Dictionary<Question, HashSet<string>> Stems, Dictionary<Question, string> Wordings);

    private static readonly ConditionalWeakTable<IQuestionBank, BankWords> WordsByBank = new();

    private static BankWords BankWordsOf(IQuestionBank bank) =>
        WordsByBank.GetValue(bank, b => new BankWords(
            RarityWeights(b.All),
            b.All.ToDictionary<Question, Question, HashSet<string>>(q => q, q => ContentStems(q.Text), ReferenceEqualityComparer.Instance),
            b.All.ToDictionary<Question, Question, string>(q => q, q => Wording(q.Text), ReferenceEqualityComparer.Instance)));

    /// <summary>Each content stem's weight: the log of how many bank questions there are per question that uses it.</summary>
    private static Dictionary<string, double> RarityWeights(IReadOnlyCollection<Question> questions)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var stem in questions.SelectMany(q => ContentStems(q.Text)))
        {
            counts[stem] = counts.GetValueOrDefault(stem) + 1;
        }

        return counts.ToDictionary(c => c.Key, c => Math.Log(1.0 + ((double)questions.Count / c.Value)), StringComparer.Ordinal);
    }

    /// <summary>The weight of the stems <paramref name="a"/> and <paramref name="b"/> share over the weight of <paramref name="of"/> (a stem the bank never uses weighs most).</summary>
    private static double Overlap(HashSet<string> a, HashSet<string> b, IReadOnlyCollection<string> of, Dictionary<string, double> weights)
    {
        var rarest = weights.Count == 0 ? 1 : weights.Values.Max();
        double Weight(string stem) => weights.TryGetValue(stem, out var w) ? w : rarest;
        var total = of.Sum(Weight);
        return total <= 0 ? 0 : a.Where(b.Contains).Sum(Weight) / total;
    }

    private static uint Fnv(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    [GeneratedRegex(@"\b(tell me about a time|describe a (time|situation)|give (me )?an example|have you ever|talk me through a time|share an example|walk me through a (time|project|situation)|when did you last|what was the (hardest|biggest|most))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BehavioralPattern();

    [GeneratedRegex(@"\b(why (do you want|are you|this|our|us|did you)|what (motivates|drives|excites) you|where do you see yourself|what are you looking for|why are you leaving|what kind of (environment|team|culture|manager)|career goals?|salary|compensation|(greatest|biggest|main|key|real) (weakness|strength)(es|s)?|your (weaknesses|strengths)|tell me about yourself|why should (we|i) hire you)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MotivationPattern();

    [GeneratedRegex(@"\b(what would you do|how would you (handle|approach|respond|deal|react|prioriti[sz]e)|imagine|suppose|if you (were|had|found|discovered|joined)|what if)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SituationalPattern();

    [GeneratedRegex(@"\b(explain|what is|what's the difference|difference between|how does|how do you (design|measure|test|debug|build|choose)|design a|walk me through how)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TechnicalPattern();
}
