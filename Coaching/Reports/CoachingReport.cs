using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Coaching.Reports;

/// <summary>
/// The result of coaching one answer, in a channel-neutral shape. It serializes to one stable JSON document
/// (<see cref="SchemaVersion"/> 1) that the CLI prints with <c>--json</c> and the adapters render as cards.
/// </summary>
public sealed record CoachingReport
{
    /// <summary>The version of this JSON shape.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The question that was answered.</summary>
    public required ReportQuestion Question { get; init; }

    /// <summary>The answer as it was scored.</summary>
    public required ReportAnswer Answer { get; init; }

    /// <summary>Overall score, 0–100.</summary>
    public required int Overall { get; init; }

    /// <summary>Per-dimension scores.</summary>
    public required IReadOnlyList<DimensionScore> Scores { get; init; }

    /// <summary>Delivery metrics of a spoken answer; null for text.</summary>
    public DeliveryReport? Delivery { get; init; }

    /// <summary>Emotion profile of a spoken answer; null for text.</summary>
    public EmotionReport? Emotions { get; init; }

    /// <summary>What went well, most important first.</summary>
    public required IReadOnlyList<string> Strengths { get; init; }

    /// <summary>What to improve, most important first.</summary>
    public required IReadOnlyList<Improvement> Improvements { get; init; }

    /// <summary>Rubric points the answer did not cover.</summary>
    public required IReadOnlyList<string> MissedPoints { get; init; }

    /// <summary>
    /// Rubric points the answer came near but left vague (touched only in passing: neither covered nor missed). A mock
    /// interview asks the bank's follow-up about such a point, as an interviewer would ask "what does that involve?".
    /// </summary>
    public IReadOnlyList<string> VaguePoints { get; init; } = [];

    /// <summary>
    /// Rubric points no sentence comes near, whether or not the card lists them (<see cref="MissedPoints"/> holds only
    /// those a tip on the card says how to cover). A mock interview asks the bank's follow-up about such a point.
    /// </summary>
    public IReadOnlyList<string> UncoveredPoints { get; init; } = [];

    /// <summary>
    /// A short improved version of the answer: the LLM's, or the rule-based coach's rearrangement of the user's own
    /// sentences with bracketed gaps; null when the transcript is too unreliable to rewrite.
    /// </summary>
    public string? ImprovedExample { get; init; }

    /// <summary>The question to practise next, if one is available.</summary>
    public ReportNextQuestion? NextQuestion { get; init; }

    /// <summary>Who wrote the advice.</summary>
    public required AdviceSource Advice { get; init; }

    /// <summary>Things the user should know about how the answer was scored.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The coaching knowledge the advice cites (added with the knowledge store; empty when none was used).</summary>
    public IReadOnlyList<ReportReference> References { get; init; } = [];

    /// <summary>
    /// The one thing to read first, shown as the card's first line when set: for example that the answer does not
    /// address the question, or that the transcript is too unreliable to judge the content.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportHeadline? Headline { get; init; }

    /// <summary>
    /// True when the content scores rest on a transcript too unreliable to trust: cards mark them as uncertain and do not
    /// quote the transcript as what the user said. Delivery scores do not depend on the words and stand.
    /// </summary>
    public bool ContentUncertain { get; init; }
}

/// <summary>The card's first line.</summary>
/// <param name="Kind">A stable code: <c>off_topic</c>, <c>hypothetical</c>, <c>judgement</c> (an answer that shows poor judgement), <c>unreliable_transcript</c>, <c>too_short</c>.</param>
/// <param name="Text">What the user reads.</param>
public sealed record ReportHeadline(string Kind, string Text);

/// <summary>A piece of coaching knowledge cited by the advice.</summary>
/// <param name="Title">The article or document title.</param>
/// <param name="Source">Where it came from: <c>builtin:&lt;article-id&gt;</c> or an ingested file name.</param>
public sealed record ReportReference(string Title, string Source)
{
    /// <summary>
    /// The article's id in the knowledge store (<c>knowledge show &lt;id&gt;</c> on the command line, <c>/knowledge/&lt;id&gt;</c>
    /// on the host); null for a reference that cannot be opened.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }
}

/// <summary>The question in a report.</summary>
/// <param name="Id">Bank id, or <c>custom-…</c> for a question outside the bank.</param>
/// <param name="Text">The question text.</param>
/// <param name="Role">The role.</param>
/// <param name="Category">The category (inferred for a custom question).</param>
/// <param name="RubricSource"><c>bank</c>, <c>closest:&lt;ids&gt;</c> or <c>generic:<c>generic:&lt;category&gt;</c>lt;question type<c>generic:&lt;category&gt;</c>gt;</c>.</param>
public sealed record ReportQuestion(string Id, string Text, string Role, string Category, string RubricSource)
{
    /// <summary>
    /// The question type the answer was judged as: <c>story</c>, <c>self-introduction</c>, <c>motivation</c>,
    /// <c>strengths-weaknesses</c>, <c>situational</c>, <c>technical</c> or <c>design</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }
}

/// <summary>The answer in a report.</summary>
/// <param name="Text">The text that was scored (the transcript for a spoken answer).</param>
/// <param name="Source"><c>text</c> or <c>voice</c>.</param>
/// <param name="DurationSeconds">Length of the recording; null for a typed answer.</param>
public sealed record ReportAnswer(string Text, string Source, double? DurationSeconds)
{
    /// <summary>The transcriber that produced the text of a spoken answer.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Engine { get; init; }

    /// <summary>Words with timings of a spoken answer.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TimedWord>? Words { get; init; }

    /// <summary>The transcriber's confidence in the transcript of a spoken answer, 0–1 (null for typed answers).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Confidence { get; init; }

    /// <summary>
    /// Whether the transcript of a spoken answer can be quoted back as what the user said (null for typed answers).
    /// False below the calibrated confidence: cards then show it only as a rough transcript and say how to get an accurate one.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Reliable { get; init; }
}

/// <summary>A transcribed word with its timing in seconds and the engine's confidence (0–1).</summary>
public sealed record TimedWord(string Word, double Start, double End, double Confidence);

/// <summary>One scored dimension.</summary>
/// <param name="Name">Dimension id: relevance, structure, specificity, ownership, length, clarity (and delivery ones for voice).</param>
/// <param name="Score">0–100.</param>
/// <param name="Label">strong, good, fair or needs work.</param>
/// <param name="Reason">Why it scored so, in one sentence.</param>
/// <param name="Evidence">Quotes from the answer that back the reason.</param>
public sealed record DimensionScore(string Name, int Score, string Label, string Reason, IReadOnlyList<string> Evidence)
{
    /// <summary>The label for a score: strong (80+), good (65+), fair (45+), needs work.</summary>
    public static string LabelFor(int score) => score switch
    {
        >= 80 => "strong",
        >= 65 => "good",
        >= 45 => "fair",
        _ => "needs work",
    };
}

/// <summary>An improvement: what, where in the answer, and what to do instead.</summary>
/// <param name="Title">A short title.</param>
/// <param name="Evidence">A quote from the answer showing the problem (may be empty when the problem is an absence).</param>
/// <param name="Suggestion">A concrete suggestion.</param>
public sealed record Improvement(string Title, string Evidence, string Suggestion)
{
    /// <summary>The article that best matches this improvement ("More in …"), when one was found.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportReference? Reference { get; init; }

    /// <summary>The dimension this improvement is about (relevance, structure, …, delivery), when it is about one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Dimension { get; init; }

    /// <summary>
    /// What the tip is about in the words coaching articles use ("put a number on your result"), so its pointer is the
    /// article about this tip rather than about the dimension in general. Not shown; null for an LLM's tips.
    /// </summary>
    [JsonIgnore]
    public string? About { get; init; }

    /// <summary>
    /// A question category whose own articles are searched first for this tip's pointer (a tip on what a story question
    /// asks for finds the failure-story or objection article before one on delivery that shares its words). Not shown.
    /// </summary>
    [JsonIgnore]
    public string? AboutCategory { get; init; }

    /// <summary>
    /// Built-in articles (ids without the <c>builtin:</c> prefix) this tip points to before any search, in order: the
    /// first one the store holds and no earlier tip took. Not shown; null when the search alone decides.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string>? Articles { get; init; }

    /// <summary>Equal when every property is, <see cref="Articles"/> by its ids (a list compares by reference otherwise); a property added here belongs in both methods.</summary>
    public bool Equals(Improvement? other) =>
        other is not null && Title == other.Title && Evidence == other.Evidence && Suggestion == other.Suggestion &&
        Reference == other.Reference && Dimension == other.Dimension && About == other.About && AboutCategory == other.AboutCategory &&
        (Articles ?? []).SequenceEqual(other.Articles ?? [], StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Title, Evidence, Suggestion, Reference, Dimension, About, AboutCategory);
}

/// <summary>The next question offered.</summary>
public sealed record ReportNextQuestion(string Id, string Text);

/// <summary>Who wrote the advice: <c>rules</c> (the offline coach) or an LLM provider, with its model.</summary>
public sealed record AdviceSource(string Source, string? Model);

/// <summary>Delivery metrics of a spoken answer (filled by the voice pipeline).</summary>
public sealed record DeliveryReport(
    double DurationSeconds,
    double SpeakingSeconds,
    int Words,
    double WordsPerMinute,
    double ArticulationRate,
    int Pauses,
    int LongPauses,
    FillerReport Fillers,
    int Hedges,
    int Repetitions,
    PitchReport Pitch,
    EnergyReport Energy,
    IReadOnlyList<string> Flags);

/// <summary>Filler word statistics.</summary>
public sealed record FillerReport(int Count, double PerMinute, double Ratio, IReadOnlyList<string> Top);

/// <summary>Pitch statistics from voiced frames.</summary>
public sealed record PitchReport(double? MeanHz, double? VariationSemitones);

/// <summary>Energy statistics.</summary>
public sealed record EnergyReport(double MeanDb, double VariationDb);

/// <summary>Emotion scores (0–100) of a spoken answer and the measured features behind each.</summary>
public sealed record EmotionReport(
    int Confidence,
    int Enthusiasm,
    int Calm,
    int Positivity,
    string Dominant,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Drivers);

/// <summary>An answer that could not be coached, with a message that says why and what to send instead.</summary>
/// <param name="Code">A stable code, e.g. <c>empty_answer</c>.</param>
/// <param name="Message">What the user reads.</param>
public sealed record CoachingError(string Code, string Message);

/// <summary>JSON settings for reports: camelCase, indented, nulls kept so the shape never changes.</summary>
public static class ReportJson
{
    /// <summary>Options used for every report serialization.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Options for storage: the same names, compact.</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    /// <summary>Serializes a report.</summary>
    public static string Serialize(CoachingReport report, bool indented = true) =>
        JsonSerializer.Serialize(report, indented ? Options : Compact);

    /// <summary>Reads a report written by <see cref="Serialize"/>.</summary>
    public static CoachingReport Deserialize(string json) =>
        JsonSerializer.Deserialize<CoachingReport>(json, Options)
        ?? throw new JsonException("The report JSON is empty.");
}
