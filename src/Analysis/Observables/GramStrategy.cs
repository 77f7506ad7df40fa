namespace Grid.Analysis.Observables;

/// <summary>How the pixel Gram matrices behind S(d) are computed; both ways give identical, exact counts.</summary>
internal enum GramStrategy
{
    /// <summary>Sparse rows up to <see cref="DisplacementHistogram.SparseDensityLimit"/>, dense matmul above.</summary>
    Automatic,

    /// <summary>Two float32 (or float64) matmuls in TorchSharp; cost independent of u.</summary>
    DenseMatmul,

    /// <summary>Row additions per unpruned input; cost proportional to u.</summary>
    SparseRows,
}
