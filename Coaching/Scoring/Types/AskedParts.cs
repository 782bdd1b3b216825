using System.Text.RegularExpressions;
using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Scoring.Types;

/// <summary>
/// Whether a question asks for a part of its type's shape at all, by its wording: reasons and a link for "why"
/// questions, trade-offs where there is a choice to make (not a concept to explain or an objection to handle),
/// components for a system, "this role" for a question about this company. A part it does not ask for is neither scored
/// as missing, nor tipped, nor prompted for in the improved example ("how do you recharge" is not marked down for no link
/// to this role).
/// </summary>
public static partial class AskedParts
{
    /// <summary>Whether <paramref name="question"/> asks for the part named <paramref name="part"/>.</summary>
    public static bool Asks(Question question, string part)
    {
        ArgumentNullException.ThrowIfNull(question);
        var text = question.Text;
        return part switch
        {
            "reason" or "evidence" => AsksWhy(text),
            "link" => AsksWhy(text) && ThisRoleQuestion().IsMatch(text),
            "tradeoffs" => ChoiceQuestion().IsMatch(text),
            // A system's components, or a product's main steps (see Missing): not what an experiment is made of.
            "components" => !ExperimentQuestion().IsMatch(text),
            // What one does about it now is asked of a weakness, not of a strength (a try-out's strength answer was prompted
            // "[What you do about it now]").
            "action" when QuestionTypes.Of(question).Id == QuestionTypes.StrengthsWeaknesses => !StrengthQuestion().IsMatch(text) || WeaknessQuestion().IsMatch(text),
            _ => true,
        };
    }

    /// <summary>Whether the question asks why ("why this role", "what draws you to…").</summary>
    public static bool AsksWhy(string question) => WhyQuestion().IsMatch(question);

    /// <summary>
    /// Whether the question is about a system (its services, storage and traffic: a service, an API, a pipeline, a chat app)
    /// rather than a product, a flow or a process ("a bill-splitting feature for our banking app", "the sign-up flow").
    /// </summary>
    public static bool AboutASystem(string question) => SystemQuestion().IsMatch(question);

    /// <summary>
    /// What <paramref name="part"/> is, phrased for a missing-part message: a design question's components are its main
    /// steps or screens, and its scale what happens at the edges, when it is about a product, a flow or a process.
    /// </summary>
    public static string Missing(Question question, AnswerPart part)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(part);
        return part.ProductMissing is { } product && !AboutASystem(question.Text) ? product : part.Missing;
    }

    /// <summary>The improved example's bracketed prompt for part <paramref name="index"/> of <paramref name="type"/>, as <see cref="Missing"/> words it.</summary>
    public static string Outline(Question question, QuestionType type, int index)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(type);
        var part = type.Parts[index];
        return part.ProductOutline is { } product && !AboutASystem(question.Text) ? product
            : index < type.ExampleOutline.Count ? type.ExampleOutline[index] : $"[{part.Missing}]";
    }

    /// <summary>
    /// Whether a missing part is named in the structure reason: every part the question asks for, and a reason and its
    /// evidence for any opinion question (what makes a good environment is still said with a reason and an example,
    /// though only a "why" question gets a tip asking for them).
    /// </summary>
    public static bool NamedWhenMissing(Question question, string part) => part is "reason" or "evidence" || Asks(question, part);

    [GeneratedRegex(@"\bwhy\b|\bwhat (draws|attracts|motivates|excites|interests)\b|\bwhat makes you want\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhyQuestion();

    [GeneratedRegex(@"\bstrengths?\b|\bgood at\b|\bbest (quality|skill|trait)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StrengthQuestion();

    [GeneratedRegex(@"\bweakness|\bimprove\b|\bimprovement\b|\bwork(ing)? on\b|\bflaw|\bstruggle|\bnot good at\b|\bgrowth area", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WeaknessQuestion();

    [GeneratedRegex(@"\b(vs\.?|versus|compare|comparing|choose|choosing|choice|when would you|when can|when (to|should you) use|trade-?offs?|pros and cons|instead of|which (one|would|database|approach)|or a\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChoiceQuestion();

    [GeneratedRegex(@"\b(system|service|api|architect\w*|backend|database|infrastructure|pipeline|platform|scal\w+|url shortener|rate limiter|cache|queue|distributed|microservices?|storage|search|feed|chat app|notifications?|real-time|throughput|latency|millions?|requests? per)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SystemQuestion();

    [GeneratedRegex(@"\b(experiment|a/b|ab test|split test|survey|research study|usability test)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExperimentQuestion();

    [GeneratedRegex(@"\b(this (company|role|team|job|position|organisation|organization)|our (company|team|product)|work here|join (us|our|this)|about us|why us|\bhere\b|hire you)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThisRoleQuestion();
}
