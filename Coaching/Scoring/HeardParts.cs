using System.Text.RegularExpressions;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Scoring;

/// <summary>
/// Where a listener hears a part of an answer's shape that its signal words (<c>question-types.json</c>) miss: a reason
/// said as one ("because…", "I'd like to…"), an example from the speaker's own work, a trait named in the opening, costs
/// weighed, what one would find out first, something named about this company, a result stated near the end. The
/// structure score counts such a part (in a sentence no other part took) and the advice never asks for it, so the score's
/// reason and the tips agree.
/// </summary>
internal static partial class HeardParts
{
    /// <summary>Words of a lesson or a habit taken since: "learned", "next time".</summary>
    internal static readonly string[] LessonWords = ["learned", "learnt", "lesson", "taught me", "takeaway", "now i always", "next time"];

    /// <summary>Words of an outcome: "in the end", "reduced", "went well".</summary>
    internal static readonly string[] ResultWords =
    [
        "result", "in the end", "outcome", "improved", "increased", "reduced", "saved", "grew", "dropped", "fell", "went up",
        "went down", "better", "faster", "success", "happier", "impact", "led to", "so the", "afterwards", "since then",
        "by the end", "went well", "come down", "came down", "gone down",
    ];

    /// <summary>The sentences of <paramref name="document"/> in which a listener hears the part named <paramref name="part"/> of <paramref name="type"/>'s shape, in order.</summary>
    public static IEnumerable<Sentence> Sentences(QuestionType type, string part, TextDocument document)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(document);
        return part switch
        {
            // What the speaker does about a weakness (or with a strength) now: a routine or a change since ("Since then I've
            // done two things", "at the start of each week I list…", "these days I…").
            "action" when type.Id == QuestionTypes.StrengthsWeaknesses => document.Sentences.Where(s => DoesNow().IsMatch(s.Text)),

            // A result stated near the end: a number, an outcome word, how things stand since, or a lesson.
            "result" => document.Sentences.TakeLast(Math.Max(3, document.Sentences.Count / 3)).Where(s =>
                s.Text.Any(char.IsAsciiDigit) ||
                LessonWords.Any(w => s.Text.Contains(w, StringComparison.OrdinalIgnoreCase)) ||
                ResultWords.Any(w => s.Text.Contains(w, StringComparison.OrdinalIgnoreCase)) ||
                StateAfterwards().IsMatch(s.Text)),

            // A case from the speaker's own work (what they or their team did, or an example announced as one: "for
            // example", "once", "at my last job"), which is also something done to back a reason.
            "example" or "proof" or "evidence" => document.Sentences.Where(s =>
                EvidenceFinder.HasPersonalPastAction(document, s, orTeam: true) || ExampleCue().IsMatch(s.Text)),

            // A trait named in the opening (a first sentence is often only "Hmm, I'd say…").
            "trait" => document.Sentences.Take(2).Where(s => TraitNamed().IsMatch(s.Text)),

            // Costs weighed: "slower and can be flaky", "at the expense of", "the downside is".
            "tradeoffs" => document.Sentences.Where(s => CostWeighed().IsMatch(s.Text)),

            // What the answer sets out to find out first: "I'd ask…", "first I'd check…", a question put to the other person.
            "clarify" => document.Sentences.Where(s => FindsOutFirst().IsMatch(s.Text)),

            // Something named about this company: "you make…", "your product", "the same buyer you sell to".
            "link" => document.Sentences.Where(s => NamesThisPlace().IsMatch(s.Text)),

            // How one would close the loop: "I'd finish by confirming in writing…", "follow up a week later", "check back",
            // "let the customer know", "write up what I've heard and go through it with the team", "note what happened".
            "success" => document.Sentences.Where(s => ClosesTheLoop().IsMatch(s.Text)),

            // What the speaker wants to do next or would bring: "I want to do that kind of writing at the scale of an app",
            // "I'd bring…", "the next step for me", "which I haven't had before".
            "future" => document.Sentences.Where(s => LooksAhead().IsMatch(s.Text)),

            // A reason said as one: "because…", "which is why…", "I'd like to…".
            "reason" => document.Sentences.Where(s => ReasonGiven().IsMatch(s.Text)),

            _ => [],
        };
    }

    /// <summary>Whether a listener hears the part named <paramref name="part"/> of <paramref name="type"/>'s shape anywhere in <paramref name="document"/>.</summary>
    public static bool Anywhere(QuestionType type, string part, TextDocument document) => Sentences(type, part, document).Any();

    [GeneratedRegex(@"\b(since then|these days|nowadays|now)\b[^.]*\bi\b|\bi('ve| have) (\w+ )?(done|started|begun|been|learned|learnt|taken|made|set up|handed|stopped|changed|got into the habit)\b|\b(at the (start|end) of|every|each) (day|week|morning|evening|monday|friday|sprint|project|meeting)\b[^.]*\bi\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoesNow();

    [GeneratedRegex(@"\b(finish|close|wrap (it )?up|end) (it |things )?(off )?by\b|\bfollow(ed|ing)? (it )?up\b|\bcheck(ed|ing)? (back|in) (with|after|a|the|on)\b|\bconfirm(ed|ing)? (it |everything |what we agreed )?(in writing|by email|in an email)\b|\b(i'd|i would|i'll|i will|we'd) know (it|this|that) (worked|was working)\b|\blet(ting)? (them|him|her|everyone|both( of them)?|the (\w+ )?(customer|client|team|manager|managers|stakeholders?|lead|requester)) know\b|\b(report|get|got|come|circle) back (to|with)\b|\bwrite (it |this |that |everything |what i'?ve (heard|learned|found) )?up\b|\bin writing\b|\b(go|went|going) through (it|them|this|that|the plan|the results?|what i found) with\b|\bnote (it|this|that|what happened)\b|\b(see|check|confirm|make sure) (whether|that|if) (it|the fix|the change|this|that|things|everything|they|he|she) (worked|works|held|is working|was fixed|stuck|landed)\b|\bnobody (is|should be|was|gets|would be) surprised\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClosesTheLoop();

    [GeneratedRegex(@"\b(strength|weakness|i'?m (a |an |very |too |not |quite |naturally )?\w+|i am |i tend to|i have a tendency|i struggle|i can be|i'?ve always been|i (just |really |often |sometimes |easily )?(get|care|worry|overthink|avoid|find it hard|take on too))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TraitNamed();

    [GeneratedRegex(@"\b(slower|cheaper|costlier|more expensive|less expensive|flaky|brittle|downsides?|drawbacks?|the cost of|costs? (more|less)|at the (cost|expense) of|trade-?offs? (is|was|are)|whereas|on the other hand|you (lose|give up|pay for))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CostWeighed();

    [GeneratedRegex(@"\b(i'?d|i would|i will|i'?ll|first,? i|the first thing i)\b[^.]*\b(ask|check|find out|look (at|into)|confirm|understand|dig into|clarify|listen)\b|[“""'][^“”""]*\?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FindsOutFirst();

    [GeneratedRegex(@"\bi('d| would)? (really )?(want|like|hope|plan|aim|intend) to (do|keep|build|grow|learn|get|move|take|lead|work|become|be|bring|help|make|own|spend|go)\b|\bi('d| would| can| could) (bring|add|contribute|help (you|your|the team))\b|\bwhat i('d| would)? bring\b|\b(my|the) next (step|role|few years|chapter)\b|\bhaven't (had|done|been able to)\b|\b(grow|growing) (into|as)\b|\bi still want\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksAhead();

    [GeneratedRegex(@"\b(because|which is why|that's why|the reason|so i'?d (rather|like)|i'?d (like|love|rather) to|i want(ed)? to|what (draws|drew|attracts|excites|motivates) me)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReasonGiven();

    [GeneratedRegex(@"\b(your (\w+ )?(product|products|tool|team|company|app|platform|customers|mission|engineering|stack|service|software)|you (do|make|build|sell|offer|are building|'re building|have built|sell to)|this (role|team|company|job|position)|work(ing)? here|join(ing)? (you|your))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamesThisPlace();

    /// <summary>How things stand after the story: "has been flat since", "now brings me in earlier", "no longer", "we signed", "he stayed with us and later left a five-star review".</summary>
    [GeneratedRegex(@"\b(now|since|no longer|ended up|back to|stopped|went from|turned out|signed|won|shipped|launched|closed the deal|after (a|one|two|three|four|six|a few|a couple of) (weeks?|months?|quarters?|years?))\b|\b(they|it|the \w+) (did |then )?(change[ds]?|adopted|scrapped|dropped|cancelled|renewed)\b|\b(stayed|stays) (with us|on|a customer)\b|\b(later|eventually)\b|\b(left|gave|wrote|posted) (us |me )?an? ([\w-]+ )?review\b|\bthanked (me|us)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StateAfterwards();

    [GeneratedRegex(@"\b(for example|for instance|e\.g\.|(?<!at )once(?! (again|more|and for all))|here'?s (a|an|one) (\w+ )?example|take (a|an|one) (\w+ )?example|(a|an|one) (\w+ )?example (is|was|from)|last (year|month|week|quarter|spring|summer|autumn|fall|winter)|at my (last|previous|current|old) (job|role|company|team)|in my (last|previous|current|old) (job|role|company|team))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExampleCue();
}
