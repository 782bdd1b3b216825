using CoachBot.Coaching.Queue;

namespace CoachBot.Storage;

/// <summary>
/// Claims as the table <c>invoke_claims</c> (SQLite migration 12, PostgreSQL migration 14) with one set of statements:
/// <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c> the old claim has expired, <c>RETURNING</c> the row only when taken, so
/// of two instances claiming at once exactly one gets it.
/// </summary>
internal class SqlInvokeClaims(ISqlDatabase database, TimeProvider time) : IInvokeClaims
{
    public async Task<(bool Claimed, string? Result)> ClaimAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync("DELETE FROM invoke_claims WHERE expires_at < @now;", cancellationToken, ("@now", database.Dialect.Time(now)));
        var taken = await connection.ValueAsync<string>(
            """
            INSERT INTO invoke_claims (claim_key, result, expires_at) VALUES (@k, NULL, @until)
            ON CONFLICT (claim_key) DO UPDATE SET result = NULL, expires_at = excluded.expires_at
            WHERE invoke_claims.expires_at < @now
            RETURNING claim_key;
            """,
            cancellationToken, ("@k", key), ("@until", database.Dialect.Time(now.Add(lifetime))), ("@now", database.Dialect.Time(now)));
        if (taken is not null)
        {
            return (true, null);
        }

        var result = await connection.ValueAsync<string>(
            "SELECT result FROM invoke_claims WHERE claim_key = @k;", cancellationToken, ("@k", key));
        return (false, result);
    }

    public async Task CompleteAsync(string key, string result, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync("UPDATE invoke_claims SET result = @r WHERE claim_key = @k;", cancellationToken, ("@k", key), ("@r", result));
    }

    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.RunAsync("DELETE FROM invoke_claims WHERE claim_key = @k;", cancellationToken, ("@k", key));
    }
}
