namespace JourneyFeedback.Api.Data;

/// <summary>
/// When the hot write paths (survey answers, imports) last wrote. Background work that competes with them for the
/// SQLite write lock and the CPU waits until they have been quiet for a moment.
/// </summary>
internal sealed class WriteActivity
{
    private long _lastWriteTicks;

    public void Touch() => Interlocked.Exchange(ref _lastWriteTicks, DateTime.UtcNow.Ticks);

    public bool QuietFor(TimeSpan span) => DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastWriteTicks) >= span.Ticks;
}
