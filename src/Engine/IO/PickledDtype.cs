using Razorvine.Pickle;

namespace Grid.Engine.IO;

/// <summary>A numpy.dtype as unpickled: the type code and, after BUILD, the byte order.</summary>
internal sealed class PickledDtype(string code)
{
    public string Code { get; } = code;
    public char ByteOrder { get; private set; } = '|';

    /// <summary>Called by the unpickler's BUILD with numpy's dtype state (version, byte_order, ...).</summary>
    public void __setstate__(object[] state)
    {
        if (state.Length > 1 && state[1] is string order && order.Length == 1)
        {
            ByteOrder = order[0];
        }
    }

    public NpyDtype Resolve()
    {
        string descr = Code.Length > 0 && Code[0] is '<' or '>' or '|' or '=' ? Code : ByteOrder + Code;
        return NpyDtypes.TryParse(descr) ?? throw new PickleException($"unsupported numpy dtype '{descr}'");
    }
}
