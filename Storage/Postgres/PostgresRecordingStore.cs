using CoachBot.Coaching.Audio;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// Recordings on PostgreSQL (the statements are <see cref="SqlRecordingStore"/>'s): an upload received by one instance is
/// coached by whichever instance claims its turn.
/// </summary>
internal sealed class PostgresRecordingStore(PostgresDatabase database, IOptions<AudioOptions> audio, TimeProvider time)
    : SqlRecordingStore(database, audio, time);
