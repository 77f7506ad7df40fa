using Grid.Engine.IO;
using Grid.Engine.Runs.Store;

namespace Grid.Engine.Tests.IO;

public sealed class FileIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("grid-file-identity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Hard_links_are_one_file_and_a_copy_is_another()
    {
        string original = Write("original", 5000), linked = Path.Combine(_directory, "linked"), copied = Path.Combine(_directory, "copied");
        FileLinks.LinkOrCopy(original, linked);
        File.Copy(original, copied);

        var (a, b, c) = (FileIdentity.Of(original), FileIdentity.Of(linked), FileIdentity.Of(copied));

        Assert.NotNull(a);
        Assert.Equal(a!.Value, b!.Value);
        Assert.NotEqual(a.Value.Id, c!.Value.Id);
        Assert.Equal(5000, a.Value.Bytes);
        Assert.Null(FileIdentity.Of(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public void Disk_usage_counts_each_file_once_however_many_names_it_has()
    {
        string original = Write("original", 3000), other = Write("other", 1000);
        FileLinks.LinkOrCopy(original, Path.Combine(_directory, "second-name"));
        FileLinks.LinkOrCopy(original, Path.Combine(_directory, "third-name"));

        var usage = DiskUsage.Of(Directory.EnumerateFiles(_directory));

        Assert.Equal((4000L, 2, false), (usage.Bytes, usage.Files, usage.Apparent));
        Assert.True(File.Exists(other));
    }

    private string Write(string name, int bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }
}
