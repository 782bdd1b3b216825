namespace CoachBot.Coaching.Audio;

/// <summary>Copies an upload or download while counting, so a recording over the size cap never fills the disk.</summary>
public static class CappedCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="target"/>. Returns the bytes copied, or null as soon as more
    /// than <paramref name="maxBytes"/> arrive (a declared length can lie or be missing, so the count is what decides).
    /// </summary>
    public static async Task<long?> CopyAsync(Stream source, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return null;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }
}
