using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Advice;

/// <summary>
/// Examples for tips, from each role's own world, so a sales rep is never shown a page-load figure. Each role has its
/// own examples (no example appears under two roles); a question picks one by its id, so tips differ between questions.
/// </summary>
internal static class RoleExamples
{
    private static readonly Dictionary<string, string[]> Metrics = new(StringComparer.Ordinal)
    {
        ["software-engineer"] = ["cut p95 latency of the checkout API from 900 ms to 250 ms", "brought the nightly build from 40 minutes to 12", "the error rate fell from 2.1% to 0.3% after the fix"],
        ["data-analyst"] = ["the forecast error dropped from 18% to 7%", "the weekly report went from a day of manual work to 20 minutes", "the test reached 95% confidence after 11 days"],
        ["product-manager"] = ["activation rose from 31% to 38% in six weeks", "we shipped in 9 weeks instead of the planned 14", "support tickets about billing halved within a quarter"],
        ["engineering-manager"] = ["cycle time fell from 9 days to 4", "two of my three engineers were promoted within a year", "on-call pages dropped from 30 a month to 8"],
        ["designer"] = ["task success in testing went from 5 of 12 people to 11 of 12", "sign-up drop-off fell by a third", "the new flow cut the steps from seven to three"],
        ["sales"] = ["closed $240k in new annual revenue, 130% of quota", "the sales cycle shortened from 90 days to 55", "renewals in my territory went from 78% to 91%"],
        ["customer-support"] = ["first-reply time fell from 6 hours to 45 minutes", "satisfaction on my queue rose from 82% to 94%", "repeat contacts on that issue dropped by 60%"],
        [Roles.General] = ["saved the team about five hours a week", "the project finished two weeks early", "three other teams adopted the same checklist"],
    };

    private static readonly Dictionary<string, string> Ownership = new(StringComparer.Ordinal)
    {
        ["software-engineer"] = "“I profiled the query, I proposed the index, I wrote the migration”.",
        ["data-analyst"] = "“I pulled the raw events, I rebuilt the funnel, I presented the finding to the VP”.",
        ["product-manager"] = "“I interviewed eight customers, I wrote the one-pager, I cut two features to hit the date”.",
        ["engineering-manager"] = "“I set up the weekly one-to-ones, I rewrote the on-call rota, I made the call to delay the launch”.",
        ["designer"] = "“I ran five usability sessions, I reworked the navigation, I walked engineering through the prototype”.",
        ["sales"] = "“I mapped the buying committee, I reworked the proposal, I negotiated the multi-year term”.",
        ["customer-support"] = "“I called the customer back, I reproduced the bug, I wrote the escalation with the logs attached”.",
        [Roles.General] = "“I proposed the change, I wrote the plan, I checked in with each person”.",
    };

    /// <summary>A measured result as someone in the question's role would say it.</summary>
    public static string Metric(Question question)
    {
        var options = Metrics.GetValueOrDefault(question.Role) ?? Metrics[Roles.General];
        return options[Pick(question.Id, options.Length)];
    }

    /// <summary>How someone in the question's role says what they did themselves.</summary>
    public static string OwnershipFor(Question question) => Ownership.GetValueOrDefault(question.Role) ?? Ownership[Roles.General];

    /// <summary>Every example, per role (for tests that check no example is shared).</summary>
    public static IReadOnlyDictionary<string, string[]> All => Metrics;

    private static int Pick(string id, int count)
    {
        var hash = 0;
        foreach (var c in id)
        {
            hash = unchecked((hash * 31) + c);
        }

        return (int)((uint)hash % (uint)count);
    }
}
