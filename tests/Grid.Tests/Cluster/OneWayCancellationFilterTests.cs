using System.Reflection;
using Grid.Abstractions.Grains;
using Grid.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Grid.Tests.Cluster;

public sealed class OneWayCancellationFilterTests
{
    [Fact]
    public async Task A_one_way_report_whose_grain_call_was_cancelled_is_logged_as_information_not_thrown()
    {
        var logger = new RecordingLogger();
        var call = new Call(typeof(IPruningRunGrain).GetMethod(nameof(IPruningRunGrain.IterationChanged))!, new OperationCanceledException("The operation was canceled."));

        await new OneWayCancellationFilter(logger).Invoke(call);

        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Contains("IterationChanged", message);
        Assert.Contains("was not handled to the end", message);
    }

    [Fact]
    public async Task A_two_way_call_s_cancellation_and_a_one_way_call_s_other_failures_still_reach_orleans()
    {
        var logger = new RecordingLogger();
        var filter = new OneWayCancellationFilter(logger);

        await Assert.ThrowsAsync<OperationCanceledException>(() => filter.Invoke(new Call(typeof(IPruningRunGrain).GetMethod(nameof(IPruningRunGrain.Cancel))!, new OperationCanceledException())));
        await Assert.ThrowsAsync<InvalidOperationException>(() => filter.Invoke(new Call(typeof(IPruningRunGrain).GetMethod(nameof(IPruningRunGrain.IterationChanged))!, new InvalidOperationException("broken"))));
        Assert.Empty(logger.Entries);
    }

    /// <summary>An incoming call to <paramref name="method"/> whose invocation throws <paramref name="failure"/>.</summary>
    private sealed class Call(MethodInfo method, Exception failure) : IIncomingGrainCallContext
    {
        public MethodInfo InterfaceMethod => method;
        public string MethodName => method.Name;
        public string InterfaceName => method.DeclaringType!.Name;
        public GrainId TargetId => GrainId.Create("test", "grain");
        public Task Invoke() => Task.FromException(failure);

        public IInvokable Request => throw new NotSupportedException();
        public object Grain => throw new NotSupportedException();
        public GrainId? SourceId => null;
        public GrainInterfaceType InterfaceType => throw new NotSupportedException();
        public object? Result { get => null; set { } }
        public Response? Response { get => null; set { } }
        public IGrainContext TargetContext => throw new NotSupportedException();
        public MethodInfo ImplementationMethod => method;
    }

    private sealed class RecordingLogger : ILogger<OneWayCancellationFilter>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
