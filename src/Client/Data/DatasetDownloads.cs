using Grid.Engine.Specs;

namespace Grid.Client.Data;

/// <summary>A file as its publisher distributes it, and the MD5 the publisher lists for it.</summary>
public sealed record DownloadFile(string Name, string Md5);

/// <summary>How a downloaded dataset becomes the files the loaders read.</summary>
public enum Unpacking
{
    /// <summary>Each file is gzipped: decompressed next to itself (the IDX files of MNIST and Fashion-MNIST).</summary>
    Gunzip,

    /// <summary>One gzipped tar archive, extracted (CIFAR-10's binary version unpacks to cifar-10-batches-bin/).</summary>
    ExtractTarGz,
}

/// <summary>Where a dataset is published, its files with their pinned checksums, and who lists those checksums.</summary>
public sealed record DatasetDownload(string Dataset, IReadOnlyList<string> Mirrors, IReadOnlyList<DownloadFile> Files, Unpacking Unpacking, string ChecksumSource);

/// <summary>
/// The datasets `grid data fetch` downloads, with the MD5 checksums their publishers list (the same torchvision pins).
/// A download whose checksum differs is refused: it is corrupt, or not the file the papers trained on.
/// </summary>
public static class DatasetDownloads
{
    public static IReadOnlyDictionary<string, DatasetDownload> All { get; } = new Dictionary<string, DatasetDownload>
    {
        [DatasetNames.Mnist] = new(DatasetNames.Mnist,
            ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
            [
                new("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                new("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                new("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                new("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
            ],
            Unpacking.Gunzip,
            "the MD5s torchvision pins for MNIST (torchvision.datasets.MNIST.resources)"),
        [DatasetNames.FashionMnist] = new(DatasetNames.FashionMnist,
            ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
            [
                new("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                new("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                new("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                new("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
            ],
            Unpacking.Gunzip,
            "the MD5s Zalando Research publishes (github.com/zalandoresearch/fashion-mnist), as torchvision pins them"),
        [DatasetNames.Cifar10] = new(DatasetNames.Cifar10,
            ["https://www.cs.toronto.edu/~kriz/"],
            [new("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530")],
            Unpacking.ExtractTarGz,
            "the MD5 published with the binary version on www.cs.toronto.edu/~kriz/cifar.html"),
    };

    /// <summary>The download of <paramref name="dataset"/>; a <see cref="DataFetchException"/> naming the ones that can be fetched otherwise.</summary>
    public static DatasetDownload For(string dataset) =>
        All.GetValueOrDefault(dataset) ?? throw new DataFetchException(
            DatasetNames.IsImageNet(dataset)
                ? $"{dataset} cannot be downloaded without an image-net.org account: download the downsampled images there and run `grid data import {dataset} DIR`"
                : $"unknown dataset '{dataset}'; `grid data fetch` downloads {string.Join(", ", All.Keys)}");
}
