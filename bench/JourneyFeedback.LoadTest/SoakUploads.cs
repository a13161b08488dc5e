using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// The uploads of a round that misbehave on the wire rather than in the file: a multipart body that ends early (the API
/// answers 400 and keeps nothing), a client gone mid-upload (nothing kept), and a client sending at 10 KB/s (it must not hold an
/// import worker or the write lock: the answers' latency while one is in flight is reported beside the rest).
/// </summary>
internal sealed partial class Soak
{
    private const int SlowBytesPerSecond = 10 * 1024;
    private readonly List<(DateTime Start, DateTime End)> _slowUploads = [];

    /// <summary>
    /// A multipart upload cut off half-way through the file part. <paramref name="disconnect"/> false: a complete HTTP
    /// request whose multipart body simply ends (no closing boundary); the API must answer 400. True: the client goes
    /// away mid-body (Content-Length promises the rest, the socket is closed); nobody is left to answer, and nothing may be
    /// kept. Recorded as an upload with the status answered (0: none; -1: disconnected on purpose, so none expected).
    /// </summary>
    private async Task CutUploadAsync(SoakFile file, int instance, bool disconnect)
    {
        const string boundary = "soak-cut-boundary";
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nsupport-log\r\n");
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"mapId\"\r\n\r\n{_mapId}\r\n");
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file.Name}\"\r\nContent-Type: text/csv\r\n\r\n");
        body.Write(await File.ReadAllBytesAsync(file.Path));
        Text($"\r\n--{boundary}--\r\n");
        var whole = body.ToArray();
        var cut = whole.AsMemory(0, whole.Length / 2);
        var api = _http[instance].BaseAddress!;
        var head = $"POST /api/imports HTTP/1.1\r\nHost: {api.Authority}\r\nAuthorization: Bearer {options.Key}\r\n" +
            $"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {(disconnect ? whole.Length : cut.Length)}\r\nConnection: close\r\n\r\n";

        var sent = DateTime.UtcNow;
        var status = 0;
        var retryAfter = false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(api.Host, api.Port, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            await socket.SendAsync(cut, timeout.Token);
            if (disconnect)
            {
                // Let the API start on the body, then go away with the rest unsent.
                await Task.Delay(200, timeout.Token);
                socket.Close(0);
                lock (_uploaded) _uploaded.Add((file, -1, null));
                return;
            }
            var answer = new byte[512];
            var read = await socket.ReceiveAsync(answer, timeout.Token);
            // "HTTP/1.1 400 Bad Request"
            var text = Encoding.ASCII.GetString(answer, 0, read);
            if (text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)) status = code;
            retryAfter = text.Contains("\r\nRetry-After:", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            // No answer: counted against the instance unless a fault window covers it.
        }
        _ledger.Record(new SoakCall("import-cut", instance, sent, DateTime.UtcNow, status, retryAfter));
        lock (_uploaded) _uploaded.Add((file, status, null));
    }

    /// <summary>A realistic file sent at 10 KB/s; its window is kept to compare the answers' latency inside it.</summary>
    private async Task SlowUploadAsync(SoakFile file, int instance)
    {
        var start = DateTime.UtcNow;
        await using var stream = new ThrottledStream(File.OpenRead(file.Path), SlowBytesPerSecond);
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(stream, 4096), "file", file.Name },
            { new StringContent("support-log"), "kind" },
            { new StringContent(_mapId), "mapId" },
        };
        var (status, body) = await Send("import-slow", instance, h => h.PostAsync("/api/imports", form), _uploads[instance]);
        var id = status == 202 ? System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>() : null;
        lock (_uploaded) _uploaded.Add((file, status, id));
        lock (_slowUploads) _slowUploads.Add((start, DateTime.UtcNow));
    }

    /// <summary>Answer latency (p50/p95 ms) while a slow upload was in flight, and outside those windows.</summary>
    private string SlowUploadFigures()
    {
        List<(DateTime Start, DateTime End)> windows;
        lock (_slowUploads) windows = [.. _slowUploads];
        if (windows.Count == 0) return "slow uploads: none";
        var answers = _ledger.Calls.Where(c => c.Kind == "answer" && c.Status == 201).ToList();
        bool Inside(SoakCall c) => windows.Any(w => c.Sent >= w.Start && c.Done <= w.End);
        string Latency(IEnumerable<SoakCall> calls)
        {
            var ms = calls.Select(c => (c.Done - c.Sent).TotalMilliseconds).Order().ToList();
            return ms.Count == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{ms.Count} answers, p50 {ms[ms.Count / 2]:F0} ms, p95 {ms[(int)(ms.Count * 0.95)]:F0} ms");
        }
        var seconds = windows.Select(w => (w.End - w.Start).TotalSeconds).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"slow uploads: {windows.Count} at {SlowBytesPerSecond / 1024} KB/s, {seconds.Min():F0}–{seconds.Max():F0} s each; " +
            $"answers while one was in flight: {Latency(answers.Where(Inside))}; otherwise: {Latency(answers.Where(c => !Inside(c)))}");
    }

    /// <summary>Reads at most a given number of bytes per second (a client on a slow link).</summary>
    private sealed class ThrottledStream(Stream inner, int bytesPerSecond) : Stream
    {
        private readonly DateTime _start = DateTime.UtcNow;
        private long _read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var due = _start.AddSeconds((double)_read / bytesPerSecond) - DateTime.UtcNow;
            if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            var n = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerSecond / 10)], ct);
            _read += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
