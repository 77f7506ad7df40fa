using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Grid.Analysis.Tests")]
