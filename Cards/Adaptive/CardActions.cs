namespace CoachBot.Cards.Adaptive;

/// <summary>
/// The verbs a card button sends back, shared by Teams (Action.Execute verbs and Action.Submit data) and the web dev
/// chat. Each is one of the chat commands, so a button press becomes a card-action turn with that command.
/// </summary>
public static class CardVerbs
{
    /// <summary>The data field that carries the verb in Action.Submit data.</summary>
    public const string Field = "coachbot";

    /// <summary>The data field that carries the question id.</summary>
    public const string QuestionField = "questionId";

    /// <summary>Start practising (ask the first question).</summary>
    public const string Start = "start";

    /// <summary>Ask the next question.</summary>
    public const string Next = "next";

    /// <summary>Answer the same question again.</summary>
    public const string Retry = "retry";

    /// <summary>Show the hint for the question.</summary>
    public const string Hint = "hint";

    /// <summary>Open the recorder (Teams: a task/fetch dialog).</summary>
    public const string Record = "record";

    /// <summary>Confirm deleting the user's data.</summary>
    public const string ForgetConfirm = "forget me confirm";

    /// <summary>Start a mock interview (newest plan, else the practice role).</summary>
    public const string MockStart = "mock start";

    /// <summary>Start a mock interview of the newest plan.</summary>
    public const string MockStartPlan = "mock start plan";

    /// <summary>Make the newest plan again from its facts.</summary>
    public const string PlanRegenerate = "plan regenerate";

    /// <summary>Drop the plan question named in the question field.</summary>
    public const string PlanSkip = "plan skip";
}

/// <summary>What the cards may offer where they are shown.</summary>
/// <param name="CanRecord">Whether "Record my answer" is offered (the recorder page is reachable from this client).</param>
/// <param name="ArticleBaseUrl">
/// Where the host's article pages (<c>/knowledge/{id}</c>) are reachable from this client: an absolute base such as
/// <c>https://coachbot.example.com</c> (Teams, with <c>Teams:PublicBaseUrl</c>), an empty string for links relative to the
/// page (the web dev chat), or null when they are not reachable (article pointers then show their title without a link).
/// </param>
public sealed record CardOptions(bool CanRecord, string? ArticleBaseUrl = null)
{
    /// <summary>The address of an article's page, or null when pages are not reachable from this client.</summary>
    public string? ArticleUrl(string id) => ArticleBaseUrl is null ? null : ArticleBaseUrl.TrimEnd('/') + ReportView.ArticleUrl(id);
}

/// <summary>What a group round's card says about where it is shown.</summary>
/// <param name="FacilitatorName">The facilitator's display name, when known.</param>
/// <param name="InThread">Whether answers go in a channel thread (true) or in a group chat (false).</param>
/// <param name="PublicFeedback">Whether feedback on answers is posted in the thread rather than sent privately.</param>
public sealed record GroupCardContext(string? FacilitatorName = null, bool InThread = true, bool PublicFeedback = false);
