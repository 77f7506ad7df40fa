// The cluster tests start real processes (redis-server, silos) that train on the machine's cores: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
