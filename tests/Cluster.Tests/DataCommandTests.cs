using Grid.Cluster.Tests.Support;

namespace Grid.Cluster.Tests;

/// <summary>
/// `grid data`, `grid data fetch` and `grid data import` as processes, against a real HTTP server on loopback that
/// serves files the tests write in the publishers' formats (no internet). The synthesized files cannot have the
/// publishers' checksums: the pinned table is tested by refusing them, and the rest of a fetch by giving their
/// checksums with --checksums, as a lab mirror that serves other bytes would.
/// </summary>
public sealed class DataCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private readonly TemporaryDirectory _directory = new("grid-data-");
    private LoopbackFileServer? _server;

    private string Mirror => _directory.File("mirror");
    private string Data => _directory.File("data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Mirror);
        Directory.CreateDirectory(Data);
        _server = await LoopbackFileServer.StartAsync(Mirror);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Fetch_downloads_checks_unpacks_and_places_mnist_and_a_second_fetch_downloads_nothing()
    {
        PublishedFormats.WriteMnist(Mirror, train: 30, validation: 10);
        string sums = _directory.Write("mnist.md5", PublishedFormats.Md5Sums(Mirror, PublishedFormats.IdxFiles));

        var fetch = await GridAsync("data", "fetch", "mnist", "--mirror", _server!.Url, "--checksums", sums);

        Assert.True(fetch.ExitCode == 0, fetch.Output);
        string placed = Path.Combine(Data, "mnist");
        Assert.Equal(
            ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
            Directory.GetFiles(placed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("30 training and 10 validation images", fetch.Output);
        Assert.Contains($"MD5 of every file matches the MD5s of {sums}", fetch.Output);
        Assert.Equal(["mnist"], Directory.GetFileSystemEntries(Data).Select(Path.GetFileName));
        Assert.All(PublishedFormats.IdxFiles, name => Assert.Equal(1, _server.Requests.GetValueOrDefault("/" + name)));

        var list = await GridAsync("data");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"mnist\s+│ " + System.Text.RegularExpressions.Regex.Escape(placed) + @"\s+│ valid: 30 training, 10 validation images", list.Output);

        var again = await GridAsync("data", "fetch", "mnist", "--mirror", _server.Url);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("is already in", again.Output);
        Assert.Contains("nothing was downloaded", again.Output);
        Assert.All(PublishedFormats.IdxFiles, name => Assert.Equal(1, _server.Requests.GetValueOrDefault("/" + name)));
    }

    [Fact]
    public async Task A_corrupted_download_is_a_clear_error_and_leaves_nothing_behind()
    {
        PublishedFormats.WriteMnist(Mirror);
        string sums = _directory.Write("mnist.md5", PublishedFormats.Md5Sums(Mirror, PublishedFormats.IdxFiles));
        string corrupted = Path.Combine(Mirror, "t10k-images-idx3-ubyte.gz");
        byte[] bytes = File.ReadAllBytes(corrupted);
        bytes[bytes.Length / 2] ^= 0xFF; // one flipped byte in transit or on the mirror
        File.WriteAllBytes(corrupted, bytes);

        var fetch = await GridAsync("data", "fetch", "mnist", "--mirror", _server!.Url, "--checksums", sums);

        Assert.Equal(1, fetch.ExitCode);
        Assert.Matches(@"error: t10k-images-idx3-ubyte\.gz: http://127\.0\.0\.1:\d+/t10k-images-idx3-ubyte\.gz: MD5 [0-9a-f]{32}, expected [0-9a-f]{32} \(the MD5s of .*mnist\.md5\): the download is corrupt or not the published file; nothing was kept", fetch.Output);
        Assert.Empty(Directory.GetFileSystemEntries(Data));
    }

    [Fact]
    public async Task The_pinned_checksums_refuse_files_that_are_not_the_publishers()
    {
        PublishedFormats.WriteMnist(Mirror);

        var fetch = await GridAsync("data", "fetch", "mnist", "--mirror", _server!.Url);

        Assert.Equal(1, fetch.ExitCode);
        Assert.Contains("train-images-idx3-ubyte.gz", fetch.Output);
        Assert.Contains("expected f68b3c2dcbeaaa9fbdd348bbdeb94873 (the pinned MD5s", fetch.Output);
        Assert.Contains("nothing was kept", fetch.Output);
        Assert.Empty(Directory.GetFileSystemEntries(Data));
        Assert.False(_server.Requests.ContainsKey("/t10k-labels-idx1-ubyte.gz"), "the fetch went on after the first file failed");
    }

    [Fact]
    public async Task A_file_the_mirror_does_not_have_names_the_address_and_the_status()
    {
        PublishedFormats.WriteMnist(Mirror);
        string sums = _directory.Write("mnist.md5", PublishedFormats.Md5Sums(Mirror, PublishedFormats.IdxFiles));
        File.Delete(Path.Combine(Mirror, "t10k-labels-idx1-ubyte.gz"));

        var fetch = await GridAsync("data", "fetch", "mnist", "--mirror", _server!.Url, "--checksums", sums);

        Assert.Equal(1, fetch.ExitCode);
        Assert.Matches(@"t10k-labels-idx1-ubyte\.gz: http://127\.0\.0\.1:\d+/t10k-labels-idx1-ubyte\.gz: HTTP 404", fetch.Output);
        Assert.Empty(Directory.GetFileSystemEntries(Data));
    }

    [Fact]
    public async Task Files_that_match_their_checksums_but_do_not_validate_are_not_placed()
    {
        PublishedFormats.WriteMnist(Mirror, badLabel: 12);
        string sums = _directory.Write("mnist.md5", PublishedFormats.Md5Sums(Mirror, PublishedFormats.IdxFiles));

        var fetch = await GridAsync("data", "fetch", "mnist", "--mirror", _server!.Url, "--checksums", sums);

        Assert.Equal(1, fetch.ExitCode);
        Assert.Contains("the downloaded files are not a valid mnist: label 12 at index 29 is outside 0..9 (train-labels-idx1-ubyte); nothing was kept", fetch.Output);
        Assert.Empty(Directory.GetFileSystemEntries(Data));
    }

    [Fact]
    public async Task Cifar10_is_unpacked_from_its_tarball_into_dir_and_the_output_says_how_runs_find_it()
    {
        PublishedFormats.WriteCifar10(Path.Combine(Mirror, "cifar-10-binary.tar.gz"), perBatch: 4);
        string sums = _directory.Write("cifar.md5", PublishedFormats.Md5Sums(Mirror, ["cifar-10-binary.tar.gz"]));
        string target = _directory.File("elsewhere/cifar");

        var fetch = await GridAsync("data", "fetch", "cifar10", "--mirror", _server!.Url, "--checksums", sums, "--dir", target);

        Assert.True(fetch.ExitCode == 0, fetch.Output);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(target, "cifar-10-batches-bin"), "*.bin").Length);
        Assert.Contains("20 training and 4 validation images", fetch.Output);
        Assert.Contains($"set GRID_CIFAR10_DIR={target} or dataset.path: {target}", fetch.Output);
        Assert.False(File.Exists(Path.Combine(target, "cifar-10-binary.tar.gz")), "the archive is removed once unpacked");
        Assert.Equal(["cifar"], Directory.GetFileSystemEntries(_directory.File("elsewhere")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Import_reads_every_imagenet32_batch_from_files_and_zip_archives_and_places_them()
    {
        string downloads = _directory.File("downloads");
        string train = Path.Combine(downloads, "Imagenet32_train_npz");
        Directory.CreateDirectory(train);
        for (int i = 1; i <= 10; i++)
        {
            PublishedFormats.WriteImageNetBatch(Path.Combine(train, $"train_data_batch_{i}.npz"), 32, count: 3, withMean: true, firstLabel: i);
        }

        string staged = _directory.File("val");
        Directory.CreateDirectory(staged);
        PublishedFormats.WriteImageNetBatch(Path.Combine(staged, "val_data.npz"), 32, count: 5, withMean: false);
        System.IO.Compression.ZipFile.CreateFromDirectory(staged, Path.Combine(downloads, "Imagenet32_val_npz.zip"), System.IO.Compression.CompressionLevel.Fastest, includeBaseDirectory: true);

        var import = await GridAsync("data", "import", "imagenet32", downloads);

        Assert.True(import.ExitCode == 0, import.Output);
        string placed = Path.Combine(Data, "imagenet32");
        Assert.Equal(11, Directory.GetFiles(placed, "*.npz").Length);
        Assert.Contains("30 training and 5 validation images", import.Output);
        Assert.Contains("the official downsampled ImageNet has 1,281,167 and 50,000", import.Output);

        var list = await GridAsync("data");
        Assert.Matches(@"imagenet32\s+│ " + System.Text.RegularExpressions.Regex.Escape(placed) + @"\s+│ valid: 30 training, 5 validation images", list.Output);
    }

    [Fact]
    public async Task Import_refuses_imagenet64_batches_as_imagenet32_naming_the_file_and_leaves_nothing()
    {
        string downloads = _directory.File("downloads");
        Directory.CreateDirectory(downloads);
        for (int i = 1; i <= 10; i++)
        {
            PublishedFormats.WriteImageNetBatch(Path.Combine(downloads, $"train_data_batch_{i}.npz"), i == 3 ? 64 : 32, count: 2, withMean: true);
        }

        PublishedFormats.WriteImageNetBatch(Path.Combine(downloads, "val_data.npz"), 32, count: 2, withMean: false);

        var import = await GridAsync("data", "import", "imagenet32", downloads);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains($"{Path.Combine(downloads, "train_data_batch_3.npz")}: 'data' is uint8 [2, 12288], expected uint8 [N, 3072] for 3x32x32 images; nothing was kept", import.Output);
        Assert.Empty(Directory.GetFileSystemEntries(Data));

        File.Delete(Path.Combine(downloads, "val_data.npz"));
        var missing = await GridAsync("data", "import", "imagenet32", downloads);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no val_data (or .npz)", missing.Output);
        Assert.Empty(Directory.GetFileSystemEntries(Data));
    }

    [Fact]
    public async Task Data_names_a_dataset_whose_files_do_not_validate_and_exits_1()
    {
        string cifar = Path.Combine(Data, "cifar10");
        Directory.CreateDirectory(cifar);
        File.WriteAllBytes(Path.Combine(cifar, "data_batch_1.bin"), new byte[3073 * 2 + 5]);

        var list = await GridAsync("data");

        Assert.Equal(1, list.ExitCode);
        Assert.Contains("invalid", list.Output);
        Assert.Contains("data_batch_1.bin", list.Output);
        Assert.Matches(@"imagenet64\s+│ " + System.Text.RegularExpressions.Regex.Escape(Path.Combine(Data, "imagenet64")) + @"\s+│ absent", list.Output);
    }

    [Theory]
    [InlineData("fetch|imagenet32", "downsampled ImageNet needs an image-net.org account")]
    [InlineData("fetch|svhn", "'svhn': expected one of mnist, fashion-mnist, cifar10")]
    [InlineData("fetch|mnist|--mirror|ftp://host/x", "--mirror 'ftp://host/x': expected an http:// or https:// address")]
    [InlineData("import|imagenet32|/nonexistent/downloads", "'/nonexistent/downloads': no such directory")]
    [InlineData("import|cifar10|/tmp", "import takes imagenet32 or imagenet64")]
    public async Task Bad_command_lines_exit_2_with_the_reason(string arguments, string expected)
    {
        var run = await GridAsync(["data", .. arguments.Split('|')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Output);
    }

    [Fact]
    public async Task A_checksum_file_with_a_bad_line_is_named_with_the_line()
    {
        string sums = _directory.Write("bad.md5", "f68b3c2dcbeaaa9fbdd348bbdeb94873  train-images-idx3-ubyte.gz\nnot a checksum\n");

        var run = await GridAsync("data", "fetch", "mnist", "--mirror", _server!.Url, "--checksums", sums);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{sums} line 2: expected '<32 hex digits>  <file name>'", run.Output);
        Assert.Empty(_server.Requests);
    }

    private Task<CliOutcome> GridAsync(params string[] arguments) => GridAsync((IEnumerable<string>)arguments);

    private async Task<CliOutcome> GridAsync(IEnumerable<string> arguments)
    {
        var outcome = await CliProcess.RunAsync(_directory.Path, arguments, Bound, DataEnvironment.With(Data));
        output.WriteLine($"$ grid {string.Join(' ', arguments)}\n{outcome.Output}");
        return outcome;
    }
}
