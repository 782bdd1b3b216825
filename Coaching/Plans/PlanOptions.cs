using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Plans;

/// <summary>Interview plans: the limits on the documents a plan is made from and the plan's size.</summary>
public sealed class PlanOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Plans";

    /// <summary>The largest résumé or job description file accepted, in bytes (default 5 MB).</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The most text read from one document; a longer document is read up to this point.</summary>
    [Range(1000, 1_000_000)]
    public int MaxTextCharacters { get; set; } = 60_000;

    /// <summary>The most PDF pages read.</summary>
    [Range(1, 200)]
    public int MaxPdfPages { get; set; } = 20;

    /// <summary>How many questions a plan holds (8–12).</summary>
    [Range(8, 12)]
    public int Questions { get; set; } = 10;

    /// <summary>How many of them are written for the job and the résumé when the facts allow it (the rest come from the bank).</summary>
    [Range(0, 6)]
    public int WrittenQuestions { get; set; } = 5;
}
