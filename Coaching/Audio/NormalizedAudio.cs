using System.Buffers.Binary;

namespace CoachBot.Coaching.Audio;

/// <summary>
/// A recording after normalization: 16 kHz, mono, 16-bit PCM in a WAV file, and its samples scaled to −1…1.
/// Every transcriber and analyzer reads this one form.
/// </summary>
/// <param name="WavPath">The normalized WAV file (in a private temporary folder owned by the caller).</param>
/// <param name="SampleRate">Samples per second (16,000).</param>
/// <param name="Samples">The samples, −1…1.</param>
public sealed record NormalizedAudio(string WavPath, int SampleRate, float[] Samples)
{
    /// <summary>The sample rate every engine expects.</summary>
    public const int TargetSampleRate = 16_000;

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;

    /// <summary>The samples as signed 16-bit integers (what PocketSphinx reads).</summary>
    public short[] ToPcm16()
    {
        var pcm = new short[Samples.Length];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(MathF.Round(Samples[i] * 32768f), short.MinValue, short.MaxValue);
        }

        return pcm;
    }

    /// <summary>Reads a 16-bit PCM mono WAV file (the normalizer's output).</summary>
    /// <exception cref="InvalidDataException">The file is not 16-bit PCM mono WAV.</exception>
    public static NormalizedAudio ReadWav(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a WAV file.");
        }

        int? rate = null;
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = bytes.AsSpan(position, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4, 4)), (uint)(bytes.Length - position - 8));
            var body = bytes.AsSpan(position + 8, size);
            if (id.SequenceEqual("fmt "u8))
            {
                var format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (format != 1 || channels != 1 || bits != 16)
                {
                    throw new InvalidDataException($"'{Path.GetFileName(path)}' must be 16-bit PCM mono (format {format}, {channels} channels, {bits} bits).");
                }

                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (rate is null)
                {
                    throw new InvalidDataException($"'{Path.GetFileName(path)}' has no format chunk before its data.");
                }

                var samples = new float[size / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 2)..]) / 32768f;
                }

                return new NormalizedAudio(path, rate.Value, samples);
            }

            position += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"'{Path.GetFileName(path)}' has no audio data.");
    }
}
