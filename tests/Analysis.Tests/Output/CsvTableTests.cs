using Grid.Analysis.Output;

namespace Grid.Analysis.Tests.Output;

public class CsvTableTests
{
    [Fact]
    public void FormatsInvariantlyAndQuotesWhenNeeded()
    {
        string csv = new CsvTable("label", "value").Row("a, \"b\"", 0.1).Row(null, 12).ToString();

        Assert.Equal("label,value\n\"a, \"\"b\"\"\",0.1\n,12\n", csv);
    }
}
