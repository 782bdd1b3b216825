namespace CoachBot.Coaching.Storage;

/// <summary>The storage providers and the stores each one can hold.</summary>
public static class StorageProviders
{
    /// <summary>One SQLite file (the default).</summary>
    public const string Sqlite = "Sqlite";

    /// <summary>PostgreSQL (the <c>CoachBot.Storage.Postgres</c> assembly).</summary>
    public const string Postgres = "Postgres";

    /// <summary>Every store that keeps state, as a person running the bot would name it. SQLite holds them all.</summary>
    public static IReadOnlyList<string> AllStores { get; } =
    [
        Stores.TurnQueue,
        Stores.Deliveries,
        Stores.Sessions,
        Stores.Groups,
        Stores.Plans,
        Stores.Mocks,
        Stores.PendingFeedback,
        Stores.Recordings,
        Stores.InvokeClaims,
        Stores.Knowledge,
    ];

    /// <summary>Names of the stores a provider may declare it holds.</summary>
    public static class Stores
    {
        /// <summary>The durable turn queue.</summary>
        public const string TurnQueue = "the turn queue";

        /// <summary>The delivery ledger (where each reply went).</summary>
        public const string Deliveries = "the delivery ledger";

        /// <summary>Practice sessions, the questions asked and the coached attempts.</summary>
        public const string Sessions = "practice sessions and attempts";

        /// <summary>Group rounds, question-of-the-day schedules and the lease of the one scheduler that runs them.</summary>
        public const string Groups = "group rounds and question-of-the-day schedules";

        /// <summary>Feedback kept for a Teams member until it can be sent privately.</summary>
        public const string PendingFeedback = "pending feedback (Teams)";

        /// <summary>Recordings uploaded to the recorder page, until their turn is coached.</summary>
        public const string Recordings = "recorded answers awaiting coaching (uploads)";

        /// <summary>Interview plans made from a résumé and a job description, and a plan half received.</summary>
        public const string Plans = "interview plans";

        /// <summary>Claims on Teams invokes and welcomes, so one instance answers each.</summary>
        public const string InvokeClaims = "de-duplication of Teams invokes and welcomes";

        /// <summary>The knowledge base: documents, chunks, their full-text index and vectors.</summary>
        public const string Knowledge = "the knowledge store";

        /// <summary>Mock interviews and their answers.</summary>
        public const string Mocks = "mock interviews";
    }
}

/// <summary>A storage provider other than SQLite, and the stores it holds today (registered by its assembly).</summary>
/// <param name="Name">The <c>Storage:Provider</c> value that selects it.</param>
/// <param name="Stores">The stores of <see cref="StorageProviders.AllStores"/> it holds.</param>
/// <param name="CheckConnectionString">Returns why a connection string is unusable, or null when it is fine.</param>
public sealed record StorageProviderSupport(string Name, IReadOnlyList<string> Stores, Func<string, string?> CheckConnectionString);
