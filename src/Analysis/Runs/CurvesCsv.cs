using System.Globalization;
using Grid.Analysis.Curves;
using Grid.Engine.Sweeps;

namespace Grid.Analysis.Runs;

/// <summary>Reads an iteration's curves.csv (step,train_loss,train_accuracy,val_loss,val_accuracy,val_top5) as error curves.</summary>
public static class CurvesCsv
{
    public static TrainingCurve Read(string path, string label)
    {
        IReadOnlyList<IReadOnlyList<string>> rows = CsvText.Parse(File.ReadAllText(path));
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}: empty");
        }
        IReadOnlyList<string> header = rows[0];
        int step = Column(header, "step", path), train = Column(header, "train_accuracy", path), validation = Column(header, "val_accuracy", path);
        var steps = new List<int>();
        var trainError = new List<double>();
        var validationError = new List<double>();
        foreach (IReadOnlyList<string> row in rows.Skip(1).Where(r => r.Count == header.Count))
        {
            steps.Add(int.Parse(row[step], CultureInfo.InvariantCulture));
            trainError.Add(1 - double.Parse(row[train], CultureInfo.InvariantCulture));
            validationError.Add(1 - double.Parse(row[validation], CultureInfo.InvariantCulture));
        }
        return new TrainingCurve(label, steps, trainError, steps, validationError);
    }

    private static int Column(IReadOnlyList<string> header, string name, string path)
    {
        int index = header.ToList().IndexOf(name);
        return index >= 0 ? index : throw new InvalidDataException($"{path}: no column '{name}'");
    }
}
