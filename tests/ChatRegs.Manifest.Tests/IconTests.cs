using System.Buffers.Binary;
using System.IO.Compression;

namespace ChatRegs.Manifest.Tests;

public sealed class IconTests
{
    [Fact]
    public void The_color_icon_is_a_192_pixel_square_PNG()
    {
        var png = Png.Read(Path.Combine(TeamsManifest.Folder, "color.png"));
        Assert.Equal((192, 192), (png.Width, png.Height));
    }

    [Fact]
    public void The_outline_icon_is_32_pixels_white_on_transparent()
    {
        var png = Png.Read(Path.Combine(TeamsManifest.Folder, "outline.png"));
        Assert.Equal((32, 32), (png.Width, png.Height));
        Assert.Equal(6, png.ColorType); // RGBA: it has an alpha channel
        var pixels = png.Rgba();
        var transparent = 0;
        for (var i = 0; i < pixels.Length; i += 4)
        {
            if (pixels[i + 3] == 0)
            {
                transparent++;
            }
            else
            {
                Assert.True(pixels[i] == 255 && pixels[i + 1] == 255 && pixels[i + 2] == 255,
                    $"pixel {(i / 4) % 32},{(i / 4) / 32} is not white: {pixels[i]},{pixels[i + 1]},{pixels[i + 2]} alpha {pixels[i + 3]}");
            }
        }
        Assert.True(transparent > 32 * 32 / 2, $"only {transparent} transparent pixels");
        Assert.True(transparent < 32 * 32, "the outline icon is empty");
    }

    [Fact]
    public void The_manifest_names_both_icons()
    {
        var icons = TeamsManifest.Filled()["icons"]!;
        Assert.Equal("color.png", (string?)icons["color"]);
        Assert.Equal("outline.png", (string?)icons["outline"]);
    }
}

/// <summary>Just enough PNG reading for the icon checks: the header, and 8-bit RGBA pixels.</summary>
internal sealed class Png
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly byte[] _data;

    private Png(int width, int height, int bitDepth, int colorType, int interlace, byte[] data)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        ColorType = colorType;
        Interlace = interlace;
        _data = data;
    }

    public int Width { get; }
    public int Height { get; }
    public int BitDepth { get; }
    public int ColorType { get; }
    public int Interlace { get; }

    public static Png Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(Signature), $"{path} is not a PNG");
        int width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var body = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                bitDepth = body[8];
                colorType = body[9];
                interlace = body[12];
            }
            else if (type == "IDAT")
            {
                idat.Write(body);
            }
            at += 12 + length;
        }
        return new Png(width, height, bitDepth, colorType, interlace, idat.ToArray());
    }

    /// <summary>The pixels, 4 bytes each (8-bit RGBA, not interlaced: what the icons are).</summary>
    public byte[] Rgba()
    {
        Assert.True(ColorType == 6 && BitDepth == 8 && Interlace == 0, "expected 8-bit RGBA, not interlaced");
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(_data), CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }
        var raw = inflated.ToArray();
        const int bpp = 4;
        var stride = Width * bpp;
        var pixels = new byte[Height * stride];
        for (var y = 0; y < Height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
                int value = raw[y * (stride + 1) + 1 + x];
                pixels[y * stride + x] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + (a + b) / 2,
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException("PNG filter " + filter),
                });
            }
        }
        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
