using Grid.Abstractions.Contracts;
using Grid.Grains.Placement;

namespace Grid.Tests.Placement;

/// <summary>Which silo an iteration is placed on, from the silos' slots and queues (load counted in jobs).</summary>
public sealed class SlotChoiceTests
{
    private static readonly BundleAffinity Bundling = new("784-16x2-10/sgd", Members: 4);
    private static readonly BundleAffinity Other = new("784-32x2-10/sgd", Members: 4);

    private static SiloQueue Idle(string silo, int slots = 1) => new(silo, slots, Busy: 0, Queued: 0, Shapes: []);

    private static SiloQueue Busy(string silo, int slots = 1) => new(silo, slots, Busy: slots, Queued: 0, Shapes: []);

    private static SiloQueue Waiting(SiloQueue silo, string key, int count, int members) =>
        silo with { Queued = silo.Queued + count, Shapes = [.. silo.Shapes, new QueuedShape { Key = key, Count = count, Members = members }] };

    /// <summary>Places the iterations one after the other, each seeing the earlier ones queued where they went (as the
    /// director's own placements do, with the members it resolved); returns the silo of each.</summary>
    private static List<string> PlaceAll(List<SiloQueue> silos, IEnumerable<BundleAffinity?> iterations, int seed = 1)
    {
        var random = new Random(seed);
        var chosen = new List<string>();
        foreach (var iteration in iterations)
        {
            var (silo, placed) = SlotChoice.Choose(silos, iteration, random);
            chosen.Add(silo);
            int i = silos.FindIndex(s => s.Silo == silo);
            silos[i] = silos[i].With(placed);
        }

        return chosen;
    }

    [Fact]
    public void Jobs_count_a_bundle_as_one_and_iterations_without_a_key_one_each()
    {
        var silo = Waiting(Busy("a") with { Queued = 2 }, Bundling.Key, count: 5, members: 4);

        Assert.Equal(1 + 2 + 2, silo.Jobs); // busy slot, two iterations alone, five of one key in bundles of four
        Assert.Equal(5, silo.With(Bundling).Jobs); // a sixth of the key joins the second bundle
        Assert.Equal(6, silo.With(Other).Jobs);
        Assert.Equal(6, silo.With(null).Jobs);
    }

    [Fact]
    public void Iterations_that_train_alone_spread_over_the_free_slots()
    {
        var silos = new List<SiloQueue> { Idle("a"), Idle("b", slots: 2) };

        var chosen = PlaceAll(silos, [null, null, null]);

        Assert.Equal(1, chosen.Count(s => s == "a"));
        Assert.Equal(2, chosen.Count(s => s == "b"));
    }

    [Fact]
    public void Members_of_one_key_gather_on_one_idle_silo_until_its_bundle_is_full()
    {
        var silos = new List<SiloQueue> { Idle("a"), Idle("b") };

        var chosen = PlaceAll(silos, Enumerable.Repeat<BundleAffinity?>(Bundling, 6));

        Assert.Single(chosen.Take(4).Distinct()); // one bundle of four on one silo, not two of two
        Assert.All(chosen.Skip(4), s => Assert.NotEqual(chosen[0], s)); // the fifth opens the other silo's free slot
    }

    [Fact]
    public void An_iteration_joins_the_bundle_its_key_forms_in_a_silo_queue_rather_than_a_queue_of_another_key()
    {
        var silos = new List<SiloQueue> { Waiting(Busy("a"), Bundling.Key, 2, 4), Waiting(Busy("b"), Other.Key, 1, 4) };

        Assert.Equal("a", SlotChoice.Choose(silos, Bundling, new Random(1)).Silo);
        Assert.Equal("b", SlotChoice.Choose(silos, Other, new Random(1)).Silo);
    }

    [Fact]
    public void A_bundle_already_full_does_not_attract_more_members()
    {
        var silos = new List<SiloQueue> { Waiting(Busy("a"), Bundling.Key, 4, 4), Busy("b") };

        Assert.Equal("b", SlotChoice.Choose(silos, Bundling, new Random(1)).Silo);
    }

    [Fact]
    public void A_free_slot_elsewhere_wins_over_joining_a_bundle_that_waits_behind_a_busy_slot()
    {
        var silos = new List<SiloQueue> { Waiting(Busy("a"), Bundling.Key, 1, 4), Idle("b") };

        Assert.Equal("b", SlotChoice.Choose(silos, Bundling, new Random(1)).Silo);
    }

    [Fact]
    public void Two_keys_arriving_interleaved_on_busy_silos_queue_apart_and_form_one_bundle_each()
    {
        var silos = new List<SiloQueue> { Busy("a"), Busy("b") };
        var iterations = Enumerable.Range(0, 8).Select(i => (BundleAffinity?)(i % 2 == 0 ? Bundling : Other)).ToList();

        var chosen = PlaceAll(silos, iterations);

        Assert.Single(chosen.Where((_, i) => i % 2 == 0).Distinct());
        Assert.Single(chosen.Where((_, i) => i % 2 == 1).Distinct());
        Assert.NotEqual(chosen[0], chosen[1]);
        Assert.All(silos, s => Assert.Equal(2, s.Jobs)); // each: its busy slot and one bundle of four
    }

    [Fact]
    public void Silos_that_see_the_same_board_send_a_key_to_the_same_silo_whatever_their_candidate_order()
    {
        var forward = new List<SiloQueue> { Idle("a"), Idle("b"), Idle("c") };
        var backward = Enumerable.Reverse(forward).ToList();

        foreach (var key in new[] { "k1", "k2", "k3", "k4", "k5" })
        {
            var iteration = new BundleAffinity(key, Members: 2);
            Assert.Equal(SlotChoice.Choose(forward, iteration, new Random(1)).Silo, SlotChoice.Choose(backward, iteration, new Random(2)).Silo);
        }
    }

    [Fact]
    public void An_auto_sized_key_gathers_once_a_silo_reports_it_may_bundle_and_not_before()
    {
        var auto = Bundling with { Members = 0 }; // training.bundle: auto, only the training silo knows its members
        var unknown = new List<SiloQueue> { Idle("a"), Idle("b") };
        var chosen = PlaceAll(unknown, [auto, auto]);
        Assert.NotEqual(chosen[0], chosen[1]); // taken as iterations alone: spread

        var reported = new List<SiloQueue> { Waiting(Idle("a", slots: 2), auto.Key, 1, 4), Idle("b", slots: 2) };
        Assert.Equal("a", SlotChoice.Choose(reported, auto, new Random(1)).Silo);
    }

    [Fact]
    public void An_auto_sized_key_that_the_run_silo_sizes_gathers_before_any_silo_reports_it()
    {
        var estimated = Bundling with { Members = 0, OwnSiloMembers = 4 }; // the run's own silo's cost model says 4
        var chosen = PlaceAll([Idle("a"), Idle("b")], Enumerable.Repeat<BundleAffinity?>(estimated, 4));
        Assert.Single(chosen.Distinct());

        // A silo that reports the key with more members than the estimate is believed: the larger bundle gathers.
        var reported = new List<SiloQueue> { Waiting(Idle("a"), estimated.Key, 0, 8), Idle("b") };
        Assert.Single(PlaceAll(reported, Enumerable.Repeat<BundleAffinity?>(estimated, 8)).Distinct());
    }

    [Fact]
    public void The_next_iterations_of_an_auto_sized_key_gather_on_one_silo_once_a_silo_reports_it_trained_lately()
    {
        var auto = Bundling with { Members = 0 };
        foreach (string known in new[] { "a", "b" })
        {
            // Nothing queued: the key is known from an iteration the silo queued lately (count 0).
            var silos = new List<SiloQueue> { Idle("a"), Idle("b") };
            int i = silos.FindIndex(s => s.Silo == known);
            silos[i] = Waiting(silos[i], auto.Key, 0, 4);

            var chosen = PlaceAll(silos, Enumerable.Repeat<BundleAffinity?>(auto, 4));

            Assert.Single(chosen.Distinct()); // one bundle of four, on whichever silo the key ranks first
        }
    }

    [Fact]
    public void An_auto_sized_key_gathers_on_the_silo_whose_devices_bundle_it_not_on_a_silo_of_other_devices()
    {
        var auto = Bundling with { Members = 0 };
        var cpu = Idle("c", slots: 2) with { Device = "cpu" };

        // A GPU silo trained the key lately and reports bundles of 4; the run's own (CPU) silo estimates 1.
        var fromCpuRun = auto with { OwnSiloMembers = 1, OwnSiloDevice = "cpu" };
        var gpuReports = new List<SiloQueue> { cpu, Waiting(Idle("g") with { Device = "cuda:0" }, auto.Key, 0, 4) };
        var chosen = PlaceAll(gpuReports, Enumerable.Repeat<BundleAffinity?>(fromCpuRun, 4));
        Assert.Equal("c", chosen[0]); // alone, in the freest slot
        Assert.All(chosen.Skip(1), s => Assert.Equal("g", s)); // then one bundle of three on the GPU, not three alone on the CPU
        Assert.Equal(2, gpuReports.Sum(s => s.Jobs));

        // No silo has reported the key yet; the run's own silo is a GPU silo and estimates 4, which the CPU silo does not share.
        var fromGpuRun = auto with { OwnSiloMembers = 4, OwnSiloDevice = "cuda:0" };
        var unreported = new List<SiloQueue> { cpu, Idle("g") with { Device = "cuda:0" } };
        chosen = PlaceAll(unreported, Enumerable.Repeat<BundleAffinity?>(fromGpuRun, 4));
        Assert.Equal(1, chosen.Count(s => s == "c"));
        Assert.Equal(3, chosen.Count(s => s == "g"));

        // Silos that have not reported yet (devices unknown, as when a cluster starts) take the run silo's estimate.
        Assert.Single(PlaceAll([Idle("a"), Idle("b")], Enumerable.Repeat<BundleAffinity?>(fromGpuRun, 4)).Distinct());
    }
}
