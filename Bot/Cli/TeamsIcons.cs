using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CoachBot.Bot.Cli;

/// <summary>
/// The Teams app icons, drawn in code: a 192×192 colour icon (a white speech bubble on the accent colour) and a
/// 32×32 outline icon (the bubble's outline, white on transparent), encoded as RGBA PNGs.
/// </summary>
internal static class TeamsIcons
{
    private static readonly (byte R, byte G, byte B) Accent = (0x3B, 0x5B, 0xDB);

    public static byte[] Color()
    {
        const int size = 192;
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var white = InBubble(x, y, size);
                var i = ((y * size) + x) * 4;
                pixels[i] = white ? (byte)255 : Accent.R;
                pixels[i + 1] = white ? (byte)255 : Accent.G;
                pixels[i + 2] = white ? (byte)255 : Accent.B;
                pixels[i + 3] = 255;
            }
        }

        return Png(size, size, pixels);
    }

    public static byte[] Outline()
    {
        const int size = 32;
        const int stroke = 2;
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                // A pixel of the bubble with some pixel outside it within the stroke width is on the outline.
                var edge = false;
                for (var dy = -stroke; dy <= stroke && !edge && InBubble(x, y, size); dy++)
                {
                    for (var dx = -stroke; dx <= stroke && !edge; dx++)
                    {
                        edge = !InBubble(x + dx, y + dy, size);
                    }
                }

                var i = ((y * size) + x) * 4;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = 255;
                pixels[i + 3] = edge ? (byte)255 : (byte)0;
            }
        }

        return Png(size, size, pixels);
    }

    /// <summary>A rounded rectangle with a tail at its lower left, scaled to the icon.</summary>
    private static bool InBubble(int px, int py, int size)
    {
        var x = (px + 0.5) / size;
        var y = (py + 0.5) / size;
        const double left = 0.16, right = 0.84, top = 0.2, bottom = 0.68, radius = 0.1;
        if (x >= left && x <= right && y >= top && y <= bottom)
        {
            var cx = Math.Clamp(x, left + radius, right - radius);
            var cy = Math.Clamp(y, top + radius, bottom - radius);
            return ((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= radius * radius;
        }

        // The tail: a triangle from the bottom edge down to a point.
        if (y > bottom && y <= 0.84)
        {
            var t = (y - bottom) / (0.84 - bottom);
            return x >= 0.28 && x <= 0.28 + (0.16 * (1 - t));
        }

        return false;
    }

    /// <summary>An 8-bit RGBA PNG: signature, IHDR, one zlib IDAT (every row with filter 0), IEND.</summary>
    internal static byte[] Png(int width, int height, byte[] rgba)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 6; // colour type: RGBA
        Chunk(output, "IHDR", header);

        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(rgba, y * width * 4, width * 4);
            }
        }

        Chunk(output, "IDAT", raw.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. typeBytes, .. data]));
        output.Write(number);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
