using Grid.Client.Specs;
using Grid.Engine.Sweeps;

namespace Grid.Tests.Specs;

/// <summary>
/// A sweep file is bounded before anything is expanded: these files once grew the client to tens of GB. Each check
/// also bounds the bytes the reading thread allocated (robust on a busy machine, unlike a time limit).
/// </summary>
public sealed class SpecLimitTests
{
    private const long AllocationBound = 64L << 20;

    private static readonly SweepCheckOptions NoFiles = new() { CheckDatasetFiles = false };

    [Fact]
    public void A_yaml_alias_bomb_is_refused_after_reading_a_few_lines()
    {
        var (file, allocated) = Measure(() => SweepFile.Parse(SpecFixtures.AliasBomb(levels: 9), options: NoFiles));

        var error = Assert.Single(file.Errors);
        Assert.StartsWith("x4[7]: the file holds more than 100,000 values once its aliases are expanded (alias *a3 alone stands for 11,111)", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void An_alias_inside_the_value_it_names_is_refused()
    {
        var error = Assert.Single(SweepFile.Parse("name: t\nbase: &b {network: *b}\n", options: NoFiles).Errors);

        Assert.Equal("base.network: alias *b is inside the value &b it names; a recursive alias has no end (line 2)", error.ToString());
    }

    [Fact]
    public void An_alias_without_an_anchor_is_named()
    {
        var errors = SweepFile.Parse("name: t\nbase: *nowhere\n", options: NoFiles).Errors;

        Assert.Contains("base: alias *nowhere has no anchor &nowhere before it (line 2)", errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Aliases_within_the_limits_are_expanded_and_errors_inside_them_point_at_the_alias()
    {
        var file = SweepFile.Parse("""
            name: t
            base:
              network: &net {hidden: [8, x]}
            matrix:
              - field: network
                values: [*net]
            """, options: NoFiles);

        var errors = file.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("base.network.hidden[1]: expected an integer, got the string 'x' (line 3)", errors);
        Assert.Contains("matrix[0].values[0].hidden[1] (network.hidden[1]): expected an integer, got the string 'x' (line 6)", errors);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_recursing_into_it()
    {
        string deep = "name: t\nbase: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var (file, allocated) = Measure(() => SweepFile.Parse(deep, options: NoFiles));

        var error = Assert.Single(file.Errors);
        Assert.Contains("nested deeper than 64 levels of lists and mappings (line 2)", error.ToString(), StringComparison.Ordinal);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void An_axis_longer_than_the_run_limit_is_refused_before_its_values_are_checked()
    {
        var (file, allocated) = Measure(() => SweepFile.Parse(SpecFixtures.LongAxis(20_000), options: NoFiles));

        var error = Assert.Single(file.Errors);
        Assert.Equal("matrix[0].values: lists 20,000 values, more than the 10,000 runs a sweep may have (line 4)", error.ToString());
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void A_matrix_whose_axes_multiply_past_the_limit_is_refused_before_any_run_is_built()
    {
        var (file, allocated) = Measure(() => SweepFile.Parse(SpecFixtures.WideMatrix(axes: 3, valuesPerAxis: 5_000), options: NoFiles));

        var error = Assert.Single(file.Errors);
        Assert.Equal("matrix: expands to 125,000,000,000 runs, more than the limit of 10,000 (line 2)", error.ToString());
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_not_read_past_the_limit()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Write("huge.yaml", SpecFixtures.LongAxis(300_000));

        var (file, allocated) = Measure(() => SweepFile.Load(path, NoFiles));

        Assert.Equal($"(file): '{path}' is larger than 1,024 KiB, the limit for a sweep file (a 10,000-run axis takes about 60 KB)", Assert.Single(file.Errors).ToString());
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void An_endless_file_is_read_only_up_to_the_limit()
    {
        var (file, allocated) = Measure(() => SweepFile.Load("/dev/zero", NoFiles));

        Assert.Contains("'/dev/zero' is larger than 1,024 KiB", Assert.Single(file.Errors).ToString(), StringComparison.Ordinal);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public void A_directory_given_as_the_sweep_file_is_named()
    {
        using var directory = new TemporaryDirectory();

        var error = Assert.Single(SweepFile.Load(directory.Path, NoFiles).Errors);

        Assert.Equal($"(file): '{directory.Path}' is a directory; give the sweep file (YAML) itself", error.ToString());
    }

    [Theory]
    [InlineData("name: t\nbase:\n  network:\n    hidden: [32, 32\n  training:\n    steps: 10\n",
        "(document): not valid YAML: the '[' opened on line 4, column 13 is never closed with ']' (line 4)")]
    [InlineData("name: t\nbase:\n  network: {hidden: [32, 32]\n  training:\n    steps: 10\n",
        "(document): not valid YAML: the '{' opened on line 3, column 12 is never closed with '}' (line 3)")]
    [InlineData("name: t\nbase:\n  network:\n    hidden: [32, 32\n", "(document): not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'. (line 5)")]
    [InlineData("name: t\n---\nname: u\n", "(document): expected one YAML document, found several ('---' starts a second one) (line 2)")]
    [InlineData("# only a comment\n", "(document): the file is empty")]
    public void Malformed_yaml_is_reported_with_its_line(string yaml, string expected)
    {
        Assert.Equal(expected, Assert.Single(SweepFile.Parse(yaml, options: NoFiles).Errors).ToString());
    }

    private static (T Result, long Allocated) Measure<T>(Func<T> read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = read();
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
