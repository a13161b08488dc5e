namespace JourneyFeedback.Api.Data;

/// <summary>
/// When the hot write paths (survey answers, imports) last wrote. Background work that competes with them for the
/// SQLite write lock and the CPU waits until they have been quiet for a moment.
/// </summary>
internal sealed class WriteActivity
{
    private long _lastWriteTicks;
    private int _imports;

    public void Touch() => Interlocked.Exchange(ref _lastWriteTicks, DateTime.UtcNow.Ticks);

    /// <summary>Imports running on this instance now: the heaviest background work (the encoder) waits for them to end.</summary>
    public bool ImportsRunning => Volatile.Read(ref _imports) > 0;

    public void ImportStarted() => Interlocked.Increment(ref _imports);

    public void ImportEnded() => Interlocked.Decrement(ref _imports);

    public bool QuietFor(TimeSpan span) => DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastWriteTicks) >= span.Ticks;
}
