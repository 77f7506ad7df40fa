using Grid.Engine.Data;
using Grid.Engine.Specs;

namespace Grid.Engine.Tasks;

/// <summary>
/// The class → macro class mappings of the re-labelled tasks (docs/science.md §5, paper section 5.3 and SM C), for
/// n original classes and k macro classes. Deterministic for a seed.
/// </summary>
public static class Relabelling
{
    /// <summary>The mapping for <paramref name="task"/>, or null for the original labels.</summary>
    public static ClassMapping? Create(TaskSpec task, int originalCount, long seed)
    {
        switch (task.Labels)
        {
            case LabelModes.Original:
                return null;
            case LabelModes.Random:
                return Random(originalCount, RequireClasses(task, originalCount));
            case LabelModes.Semantic:
                return Semantic(RequireMappingFile(task), originalCount, task.Classes);
            case LabelModes.Mixed:
                return Mixed(Semantic(RequireMappingFile(task), originalCount, RequireClasses(task, originalCount)), seed);
            case LabelModes.PartialSemantic:
                return PartialSemantic(Semantic(RequireMappingFile(task), originalCount, RequireClasses(task, originalCount)), seed);
            default:
                throw new ArgumentException($"task.labels: unknown mode '{task.Labels}'; expected one of {string.Join(", ", LabelModes.All)}", nameof(task));
        }
    }

    /// <summary>`random`: class c → c mod k.</summary>
    public static ClassMapping Random(int originalCount, int k)
    {
        CheckK(originalCount, k);
        return new ClassMapping([.. Enumerable.Range(0, originalCount).Select(c => c % k)], k);
    }

    /// <summary>`semantic`: the mapping file (see <see cref="MappingFile"/>).</summary>
    public static ClassMapping Semantic(string mappingFile, int originalCount, int? k) =>
        MappingFile.Read(mappingFile, originalCount, k);

    /// <summary>
    /// `mixed` ("5 semantic / 5 random" for k = 10): the first s = ceil(k/2) macro classes (ids 0..s-1) keep
    /// exactly their semantic members; the original classes of the other k - s semantic macro classes are
    /// pooled, shuffled with the seed, and dealt round-robin to macro classes s..k-1 (sizes differ by at most
    /// one, every random macro class non-empty because the pool has at least k - s classes).
    /// </summary>
    public static ClassMapping Mixed(ClassMapping semantic, long seed)
    {
        int k = semantic.MacroCount;
        if (k < 2)
        {
            throw new ArgumentException("a mixed task needs at least 2 macro classes", nameof(semantic));
        }

        int semanticCount = (k + 1) / 2;
        var macroOf = new int[semantic.OriginalCount];
        var pool = new List<int>();
        for (int c = 0; c < macroOf.Length; c++)
        {
            macroOf[c] = semantic.MacroOf(c);
            if (macroOf[c] >= semanticCount)
            {
                pool.Add(c);
            }
        }

        Shuffle(pool, SeedStreams.Random(seed, "task.mixed"));
        for (int i = 0; i < pool.Count; i++)
        {
            macroOf[pool[i]] = semanticCount + i % (k - semanticCount);
        }

        return new ClassMapping(macroOf, k);
    }

    /// <summary>
    /// `partial-semantic`: every macro class m with n_m semantic members keeps ceil(n_m/2) of them, chosen with
    /// the seed; the released floor(n_m/2) classes of all macro classes are pooled, shuffled, and dealt back so
    /// that every macro class receives as many random classes as it released (sizes unchanged, so none
    /// empty). A released class may by chance come back to its own macro class (probability about 1/k).
    /// </summary>
    public static ClassMapping PartialSemantic(ClassMapping semantic, long seed)
    {
        int k = semantic.MacroCount;
        var random = SeedStreams.Random(seed, "task.partial-semantic");
        var macroOf = new int[semantic.OriginalCount];
        var released = new int[k];
        var pool = new List<int>();
        for (int m = 0; m < k; m++)
        {
            var members = semantic.Members(m).ToList();
            Shuffle(members, random);
            int keep = (members.Count + 1) / 2;
            foreach (int c in members.Take(keep))
            {
                macroOf[c] = m;
            }

            pool.AddRange(members.Skip(keep));
            released[m] = members.Count - keep;
        }

        Shuffle(pool, random);
        int next = 0;
        for (int m = 0; m < k; m++)
        {
            for (int i = 0; i < released[m]; i++)
            {
                macroOf[pool[next++]] = m;
            }
        }

        return new ClassMapping(macroOf, k);
    }

    private static void Shuffle(List<int> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static int RequireClasses(TaskSpec task, int originalCount)
    {
        int k = task.Classes ?? throw new ArgumentException($"task.classes: required for '{task.Labels}' labels", nameof(task));
        CheckK(originalCount, k);
        return k;
    }

    private static void CheckK(int originalCount, int k)
    {
        if (k < 2 || k > originalCount)
        {
            throw new ArgumentException($"task.classes: {k} macro classes, expected 2..{originalCount} (the dataset has {originalCount} classes)");
        }
    }

    private static string RequireMappingFile(TaskSpec task) =>
        !string.IsNullOrWhiteSpace(task.MappingFile) ? task.MappingFile
            : throw new ArgumentException($"task.mapping_file: required for '{task.Labels}' labels", nameof(task));
}
