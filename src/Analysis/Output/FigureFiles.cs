using Grid.Engine.IO;
using System.Text.Json;

namespace Grid.Analysis.Output;

/// <summary>The files of one figure: the picture and, beside it, its numbers for replotting.</summary>
public sealed record FigureFiles(string ImagePath, string DataPath)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes "{basePath}.png" and "{basePath}.csv" atomically.</summary>
    internal static FigureFiles WritePngWithCsv(string basePath, byte[] png, CsvTable data) =>
        Write(basePath, ".png", png, ".csv", data.ToString());

    /// <summary>Writes "{basePath}.png" and "{basePath}.json" atomically.</summary>
    internal static FigureFiles WritePngWithJson<T>(string basePath, byte[] png, T data) =>
        Write(basePath, ".png", png, ".json", JsonSerializer.Serialize(data, Json));

    internal static FigureFiles Write(string basePath, string imageExtension, byte[] image, string dataExtension, string data)
    {
        string imagePath = basePath + imageExtension;
        string dataPath = basePath + dataExtension;
        AtomicFile.WriteText(dataPath, data);
        AtomicFile.WriteBytes(imagePath, image);
        return new FigureFiles(imagePath, dataPath);
    }
}
