using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Adapters.Teams.Tests.Support;

namespace CoachBot.Bot.Tests.Support;

/// <summary>
/// The settings a host-process test starts <c>dotnet coachbot.dll</c> with (<see cref="RunningHost"/>): where it
/// stores (a SQLite file, or one instance of several on the test's PostgreSQL database), its turn folder, and the fake
/// platforms on 127.0.0.1 with the secrets they share with the test. Whatever a test sets beyond that it names with
/// <see cref="With"/>, so every setting a host runs with is written in the test.
/// </summary>
public sealed class HostSettings
{
    /// <summary>The Slack bot token the hosts send; the fake Slack accepts any.</summary>
    public const string SlackBotToken = "xoxb-test";

    /// <summary>The Teams app password the hosts send to the fake token endpoint.</summary>
    public const string TeamsAppPassword = "test-secret";

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private HostSettings()
    {
    }

    /// <summary>A host on the SQLite file <paramref name="databasePath"/>, keeping its turns' files under <paramref name="turnsDirectory"/>.</summary>
    public static HostSettings Sqlite(string databasePath, string turnsDirectory) => new HostSettings()
        .With("Storage:DatabasePath", databasePath)
        .With("Audio:TempDirectory", turnsDirectory);

    /// <summary>
    /// One instance, named <paramref name="instance"/>, of several sharing the PostgreSQL database
    /// <paramref name="connectionString"/>: they share the recorder's signing key, and each keeps its own turn folder.
    /// The SQLite path names a file that is never created (PostgreSQL holds everything).
    /// </summary>
    public static HostSettings Postgres(string connectionString, string instance, string signingKey, string unusedDatabasePath, string turnsDirectory) =>
        new HostSettings()
            .With("Storage:Provider", "Postgres")
            .With("Storage:ConnectionString", connectionString)
            .With("Storage:DatabasePath", unusedDatabasePath)
            .With("Recordings:SigningKey", signingKey)
            .With("Queue:InstanceId", instance)
            .With("Audio:TempDirectory", turnsDirectory);

    /// <summary>Slack through <paramref name="slack"/>: the signing secret the test's requests are signed with, a bot token and the Web API's URL.</summary>
    public HostSettings WithSlack(FakeSlack slack)
    {
        ArgumentNullException.ThrowIfNull(slack);
        return With("Slack:SigningSecret", SlackPayloads.Secret)
            .With("Slack:BotToken", SlackBotToken)
            .With("Slack:ApiBaseUrl", slack.ApiBaseUrl.ToString());
    }

    /// <summary>
    /// Teams through <paramref name="teams"/> as the bot <paramref name="appId"/>: its keys, token endpoint and service
    /// URL trusted, downloads from it allowed, and connector retries after 1 ms instead of the default back-off.
    /// </summary>
    public HostSettings WithTeams(FakeBotFramework teams, string appId)
    {
        ArgumentNullException.ThrowIfNull(teams);
        return With("Teams:AppId", appId)
            .With("Teams:AppPassword", TeamsAppPassword)
            .With("Teams:OpenIdMetadataUrl", teams.MetadataUrl)
            .With("Teams:TokenEndpoint", teams.TokenEndpoint)
            .With("Teams:TrustedServiceUrlHosts:0", teams.HostAndPort)
            .With("Teams:DownloadHosts:0", teams.HostAndPort)
            .With("Teams:ConnectorRetryBaseDelayMilliseconds", "1")
            .With("Teams:GraphBaseUrl", teams.GraphBaseUrl)
            .With("Teams:GraphAuthority", teams.GraphAuthority);
    }

    /// <summary>Sets (or overrides) one setting, by its configuration key (<c>Queue:LeaseSeconds</c>).</summary>
    public HostSettings With(string key, string value)
    {
        _values[key] = value;
        return this;
    }

    /// <summary>The settings as configuration keys and values.</summary>
    public IReadOnlyDictionary<string, string> Build() => new Dictionary<string, string>(_values, StringComparer.Ordinal);
}
