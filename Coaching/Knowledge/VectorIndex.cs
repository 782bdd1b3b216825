using System.Numerics.Tensors;

namespace CoachBot.Coaching.Knowledge;

/// <summary>What a vector search filters on, kept beside each row of the matrix.</summary>
/// <param name="Source">The document source.</param>
/// <param name="Roles">The document's roles (empty: every role).</param>
/// <param name="Categories">The document's categories (empty: every category).</param>
internal sealed record ChunkFilterData(string Source, string[] Roles, string[] Categories)
{
    public bool Matches(string? role, string? category, string? sourcePrefix) =>
        (role is null || Roles.Length == 0 || Array.IndexOf(Roles, role) >= 0) &&
        (category is null || Categories.Length == 0 || Array.IndexOf(Categories, category) >= 0) &&
        (sourcePrefix is null || Source.StartsWith(sourcePrefix, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Unit-length embeddings of every chunk in one contiguous float32 matrix; cosine similarity is then a dot product
/// per row (SIMD through <see cref="TensorPrimitives"/>). Rows are added and removed in place as documents change.
/// Thread-safe: searches and changes take one lock (a search over 10k rows takes well under a millisecond).
/// </summary>
internal sealed class VectorIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _rowOf = [];
    private float[] _matrix = [];
    private long[] _ids = [];
    private ChunkFilterData[] _filters = [];
    private int _count;

    public int Dimensions { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Bytes held by the matrix (its capacity, not only the rows in use).</summary>
    public long MatrixBytes
    {
        get
        {
            lock (_gate)
            {
                return (long)_matrix.Length * sizeof(float);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rowOf.Clear();
            _matrix = [];
            _ids = [];
            _filters = [];
            _count = 0;
            Dimensions = 0;
        }
    }

    /// <summary>Adds or replaces a chunk's row; the vector is scaled to unit length.</summary>
    public void Upsert(long chunkId, ChunkFilterData filter, ReadOnlySpan<float> vector)
    {
        lock (_gate)
        {
            if (Dimensions == 0)
            {
                Dimensions = vector.Length;
            }
            else if (vector.Length != Dimensions)
            {
                throw new KnowledgeException($"An embedding has {vector.Length} dimensions but the index holds {Dimensions}-dimensional vectors.");
            }

            if (!_rowOf.TryGetValue(chunkId, out var row))
            {
                row = _count++;
                EnsureCapacity(_count);
                _rowOf[chunkId] = row;
            }

            var target = _matrix.AsSpan(row * Dimensions, Dimensions);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, target);
            }
            else
            {
                target.Clear();
            }

            _ids[row] = chunkId;
            _filters[row] = filter;
        }
    }

    public void Remove(long chunkId)
    {
        lock (_gate)
        {
            if (!_rowOf.Remove(chunkId, out var row))
            {
                return;
            }

            // Move the last row into the hole so the matrix stays contiguous.
            var last = --_count;
            if (row != last)
            {
                _matrix.AsSpan(last * Dimensions, Dimensions).CopyTo(_matrix.AsSpan(row * Dimensions, Dimensions));
                _ids[row] = _ids[last];
                _filters[row] = _filters[last];
                _rowOf[_ids[row]] = row;
            }

            _filters[last] = null!;
        }
    }

    /// <summary>The <paramref name="top"/> rows most similar to <paramref name="query"/>, best first.</summary>
    public List<(long ChunkId, float Score)> Search(ReadOnlySpan<float> query, int top, string? role, string? category, string? sourcePrefix)
    {
        lock (_gate)
        {
            // A query with no known word has no direction: it would rank every row equal, so it finds nothing.
            if (_count == 0 || query.Length != Dimensions || top <= 0 || TensorPrimitives.Norm(query) == 0)
            {
                return [];
            }

            var filtered = role is not null || category is not null || sourcePrefix is not null;
            var best = new PriorityQueue<int, float>(top + 1);
            for (var row = 0; row < _count; row++)
            {
                if (filtered && !_filters[row].Matches(role, category, sourcePrefix))
                {
                    continue;
                }

                var score = TensorPrimitives.Dot(_matrix.AsSpan(row * Dimensions, Dimensions), query);
                if (best.Count < top)
                {
                    best.Enqueue(row, score);
                }
                else if (best.TryPeek(out _, out var worst) && score > worst)
                {
                    best.DequeueEnqueue(row, score);
                }
            }

            var result = new List<(long, float)>(best.Count);
            while (best.TryDequeue(out var row, out var score))
            {
                result.Add((_ids[row], score));
            }

            result.Reverse();
            return result;
        }
    }

    private void EnsureCapacity(int rows)
    {
        if (_ids.Length >= rows)
        {
            return;
        }

        var capacity = Math.Max(rows, Math.Max(64, _ids.Length * 2));
        Array.Resize(ref _matrix, capacity * Dimensions);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _filters, capacity);
    }
}
