using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Queue;

public sealed class TurnQueueOptionsValidatorTests
{
    [Fact]
    public void Validate_NoWorkersOnSqlite_RefusesSayingWhy()
    {
        var result = Validator(StorageProviders.Sqlite).Validate(null, new TurnQueueOptions { Workers = 0 });

        Assert.True(result.Failed);
        Assert.Contains("Queue:Workers is 0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageProviders.Postgres, 0)]
    [InlineData(StorageProviders.Sqlite, 1)]
    public void Validate_NoWorkersOnPostgresOrSomeOnSqlite_Accepts(string provider, int workers) =>
        Assert.True(Validator(provider).Validate(null, new TurnQueueOptions { Workers = workers }).Succeeded);

    private static TurnQueueOptionsValidator Validator(string provider) =>
        new(Options.Create(new StorageOptions { Provider = provider }));
}
