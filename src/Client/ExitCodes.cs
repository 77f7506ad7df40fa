namespace Grid.Client;

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The sweep failed, the cluster could not be reached, or another runtime error.</summary>
    public const int Failure = 1;

    /// <summary>The sweep file (or a command-line value) is invalid; nothing was written or started.</summary>
    public const int InvalidInput = 2;

    /// <summary>Interrupted with Ctrl-C.</summary>
    public const int Interrupted = 130;
}
