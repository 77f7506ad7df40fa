using System.Text;
using Grid.Engine.IO;
using Grid.Engine.Tests.Data.Fixtures;

namespace Grid.Engine.Tests.Data;

public sealed class NpzTests
{
    private static Dictionary<string, NpyArray> AllDtypes() => new()
    {
        ["u8"] = NpyArray.Of(new byte[] { 0, 1, 254, 255, 7, 9 }, 2, 3),
        ["i32"] = NpyArray.Of(new[] { int.MinValue, -1, 0, int.MaxValue }, 2, 1, 2),
        ["i64"] = NpyArray.Of(new[] { long.MinValue, 42L, long.MaxValue }),
        ["f32"] = NpyArray.Of(new[] { 1.5f, -0f, float.PositiveInfinity, float.NaN }, 4, 1),
        ["f64"] = NpyArray.Of(new[] { Math.PI, -1e300 }),
        ["bool"] = NpyArray.Of(new[] { true, false, true }, 3),
        ["scalar"] = new NpyArray(NpyDtype.Float64, [], new[] { 2.5 }),
        ["empty"] = NpyArray.Of(Array.Empty<float>(), 0, 5),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripKeepsDtypeShapeAndData(bool compress)
    {
        using var dir = new TempDirectory();
        string path = dir.File("arrays.npz");
        var arrays = AllDtypes();

        NpzWriter.Write(path, arrays, compress);
        var read = NpzFile.Read(path);

        Assert.Equal(arrays.Keys.Order(), read.Keys.Order());
        foreach (var (key, expected) in arrays)
        {
            var actual = read[key];
            Assert.Equal(expected.Dtype, actual.Dtype);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data.Cast<object>(), actual.Data.Cast<object>());
        }
    }

    [Fact]
    public void SameArraysComparesTheArraysNotTheArchives()
    {
        using var dir = new TempDirectory();
        string stored = dir.File("stored.npz"), deflated = dir.File("deflated.npz"), other = dir.File("other.npz"), fewer = dir.File("fewer.npz");
        var arrays = AllDtypes();
        NpzWriter.Write(stored, arrays);
        NpzWriter.Write(deflated, arrays, compress: true);
        var changed = new Dictionary<string, NpyArray>(arrays) { ["u8"] = NpyArray.Of(new byte[] { 0, 1, 254, 255, 7, 8 }, 2, 3) };
        NpzWriter.Write(other, changed);
        NpzWriter.Write(fewer, arrays.Where(a => a.Key != "bool").ToDictionary());

        Assert.False(File.ReadAllBytes(stored).AsSpan().SequenceEqual(File.ReadAllBytes(deflated)));
        Assert.True(NpzFile.SameArrays(stored, deflated));
        Assert.False(NpzFile.SameArrays(stored, other));
        Assert.False(NpzFile.SameArrays(stored, fewer));
    }

    [Fact]
    public void HeaderIsNumpysTextAlignedTo64Bytes()
    {
        var header = new NpyHeader(NpyDtype.Float32, [2, 3], FortranOrder: false).Encode();

        Assert.Equal(0, header.Length % 64);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, header[..8]);
        string text = Encoding.ASCII.GetString(header, 10, header.Length - 10);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", text);
        Assert.EndsWith("\n", text);
        Assert.Contains("'shape': (7,)", Encoding.ASCII.GetString(new NpyHeader(NpyDtype.UInt8, [7], false).Encode()));
    }

    [Fact]
    public void ReadsAnArrayWrittenByNumpy()
    {
        // np.save(f, np.arange(6, dtype='<i4').reshape(2, 3)) with numpy 1.24
        var bytes = Convert.FromBase64String(
            "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAADAAAABAAAAAUAAAA=");

        var array = Npy.Read(new MemoryStream(bytes));

        Assert.Equal(NpyDtype.Int32, array.Dtype);
        Assert.Equal(new long[] { 2, 3 }, array.Shape);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, array.As<int>());
    }

    [Fact]
    public void ReadsACompressedArchiveWrittenByNumpy()
    {
        // np.savez_compressed(f, a=np.array([1.5, -2.0], dtype=np.float32), b=np.array([[True, False]])) with numpy 1.24
        using var dir = new TempDirectory();
        string path = dir.File("numpy.npz");
        File.WriteAllBytes(path, Convert.FromBase64String(
            "UEsDBBQAAAAIAAAAIQDWQ0sFSwAAAIgAAAAFABQAYS5ucHkBABAAiAAAAAAAAABLAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6mjoKtQoUAC4GhgP2DEACAFBLAwQUAAAACAAAACEAEBk6GUgAAACCAAAABQAUAGIubnB5AQAQAIIAAAAAAAAASAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBek2SorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RqGOgpGmjoKtQpkAy5GBgBQSwECFAMUAAAACAAAACEA1kNLBUsAAACIAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwECFAMUAAAACAAAACEAEBk6GUgAAACCAAAABQAAAAAAAAAAAAAAgAGCAAAAYi5ucHlQSwUGAAAAAAIAAgBmAAAAAQEAAAAA"));

        var arrays = NpzFile.Read(path);

        Assert.Equal(new[] { 1.5f, -2.0f }, arrays["a"].As<float>());
        Assert.Equal(new long[] { 1, 2 }, arrays["b"].Shape);
        Assert.Equal(new[] { true, false }, arrays["b"].As<bool>());
    }

    [Fact]
    public void WriteIsAtomicAndReplacesTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out", "weights.npz");

        NpzWriter.Write(path, new Dictionary<string, NpyArray> { ["w"] = NpyArray.Of(new[] { 1f }) });
        NpzWriter.Write(path, new Dictionary<string, NpyArray> { ["w"] = NpyArray.Of(new[] { 2f, 3f }) });

        Assert.Equal(new[] { "weights.npz" }, Directory.GetFiles(dir.File("out")).Select(Path.GetFileName));
        Assert.Equal(new[] { 2f, 3f }, NpzFile.Read(path, "w")["w"].As<float>());
    }

    [Fact]
    public void HeadersAreReadWithoutTheData()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.npz");
        NpzWriter.Write(path, AllDtypes(), compress: true);

        var headers = NpzFile.ReadHeaders(path);

        Assert.Equal(NpyDtype.Int32, headers["i32"].Dtype);
        Assert.Equal(new long[] { 2, 1, 2 }, headers["i32"].Shape);
    }

    [Fact]
    public void MissingKeyTruncatedArrayAndNonZipNameTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.npz");
        NpzWriter.Write(path, new Dictionary<string, NpyArray> { ["x"] = NpyArray.Of(new long[100]) });

        var missing = Assert.Throws<NpyFormatException>(() => NpzFile.Read(path, "y"));
        Assert.Contains(path, missing.Message);
        Assert.Contains("'y'", missing.Message);

        string npy = dir.File("t.npy");
        using (var stream = File.Create(npy))
        {
            Npy.Write(stream, NpyArray.Of(new long[100]));
        }

        File.WriteAllBytes(npy, File.ReadAllBytes(npy)[..^8]);
        var truncated = Assert.Throws<NpyFormatException>(() => Npy.ReadFile(npy));
        Assert.Contains(npy, truncated.Message);
        Assert.Contains("truncated", truncated.Message);

        string text = dir.File("text.npz");
        File.WriteAllText(text, "not a zip");
        Assert.Contains(text, Assert.Throws<NpyFormatException>(() => NpzFile.Read(text)).Message);
    }

    [Fact]
    public void BigEndianAndFortranArraysAreRejected()
    {
        Assert.Throws<InvalidDataException>(() => NpyHeader.Parse("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }"));
        Assert.Throws<InvalidDataException>(() => NpyHeader.Parse("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"));
        Assert.Equal(NpyDtype.UInt8, NpyHeader.Parse("{'descr': '|u1', 'fortran_order': True, 'shape': (5,), }").Dtype);
    }
}
