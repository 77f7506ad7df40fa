namespace Grid.Client.Data;

/// <summary>A download, checksum, unpacking or placement that failed; the message names the file or address and the reason.
/// Nothing of the attempt is left on disk when it is thrown out of a fetch or an import.</summary>
public sealed class DataFetchException(string message, Exception? inner = null) : Exception(message, inner);
