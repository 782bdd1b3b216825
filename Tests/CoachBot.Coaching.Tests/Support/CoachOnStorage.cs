namespace CoachBot.Coaching.Tests.Support;

/// <summary>
/// The coach of a storage theory: <see cref="UseAsync"/> puts it on the provider the theory names (a SQLite file or the
/// test PostgreSQL); a test that runs on one provider only gets a SQLite coach from <see cref="Subject"/>.
/// </summary>
public sealed class CoachOnStorage : IAsyncDisposable, IDisposable
{
    private TestStorage? _storage;
    private Coach? _coach;

    public Coach Subject => _coach ??= new Coach();

    public async Task UseAsync(string provider)
    {
        _storage = await TestStorage.CreateAsync(provider);
        _coach = new Coach(storage: _storage);
    }

    public async ValueTask DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    public void Dispose() => _coach?.Dispose();
}
