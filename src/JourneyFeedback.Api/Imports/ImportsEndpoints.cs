using System.Globalization;
using System.Security.Claims;
using System.Text;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JourneyFeedback.Api.Imports;

/// <summary>Raises the body limit of one endpoint to the configured upload size.</summary>
internal sealed record UploadSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

internal static class ImportsEndpoints
{
    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var maxUpload = app.ServiceProvider.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxUploadBytes;
        var imports = app.MapGroup("/imports").WithTags("Imports").RequireAuthorization(Policies.Read);

        imports.MapPost("/", Upload).WithName("UploadImport")
            .WithSummary("Upload a CSV (multipart: file, kind, optional mapId, mapping, dryRun); 202 and imported in the background")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportStatusResponse>(StatusCodes.Status202Accepted).Produces<ImportPreview>()
            .ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new UploadSizeLimit(maxUpload))
            .RequireAuthorization(Policies.RunImports);
        imports.MapGet("/", ListImports).WithName("ListImports").WithSummary("The workspace's imports, newest first");
        imports.MapGet("/{id:guid}", GetImport).WithName("GetImport").WithSummary("Status, counts, detected settings and the first rejected rows");
        imports.MapGet("/{id:guid}/errors.csv", ExportErrors).WithName("ExportImportErrors")
            .WithSummary("Every rejected row with line number, column and reason (Excel-safe CSV)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        imports.MapDelete("/{id:guid}", CancelImport).WithName("CancelImport")
            .WithSummary("Cancel a queued or running import (committed batches stay)").RequireAuthorization(Policies.RunImports);
        return app;
    }

    private static async Task<IResult> Upload(HttpRequest request, ClaimsPrincipal user, JourneyFeedbackDb db, StoragePaths paths,
        ImportQueue queue, UploadSlots slots, IOptions<LimitsOptions> limits, IOptions<ImportOptions> importOptions, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: "Upload the file as multipart/form-data with a 'file' part.");

        // Refused before a byte of the body is read: the point is not to tie up another thread, file and disk.
        if (!slots.TryTake())
        {
            request.HttpContext.Response.Headers.RetryAfter = UploadRetryAfterSeconds;
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many uploads in progress",
                detail: $"This instance is receiving {slots.Limit} uploads already (Imports:MaxConcurrentUploads); " +
                    $"send the file again in {UploadRetryAfterSeconds} s.");
        }

        var importId = Guid.CreateVersion7();
        var uploadPath = paths.UploadFile(importId);
        var keepFile = false;
        try
        {
            Directory.CreateDirectory(paths.ImportsDirectory);
            Dictionary<string, string> fields;
            string? fileName;
            long fileSize;
            try
            {
                (fields, fileName, fileSize) = await ReceiveMultipart(request, boundary, uploadPath, limits.Value.MaxUploadBytes, ct);
            }
            catch (UploadCutShort cut)
            {
                // The finally below deletes what was written of the file; nothing else was stored.
                if (cut.ClientGone || request.HttpContext.RequestAborted.IsCancellationRequested)
                {
                    // The client is gone (its connection broke mid-body): nobody reads an answer. Closing the connection
                    // also keeps Kestrel from draining a body whose failed read left its reader mid-read, which it would
                    // log as an error (dotnet/aspnetcore#17840).
                    request.HttpContext.Abort();
                    return TypedResults.Empty;
                }
                return Problems.BadRequest(cut.Field, cut.Field == "file"
                    ? "The upload ended in the middle of the file (the multipart body has no closing boundary): the client stopped sending. Send the whole file again."
                    : "The multipart body ended before its closing boundary: the client stopped sending. Send the whole request again.");
            }
            catch (InvalidDataException malformed)
            {
                // MultipartReader refuses a part whose headers it cannot parse (a line without a colon, headers over its
                // size limits); the finally below deletes anything written.
                return Problems.BadRequest("$", $"The multipart body cannot be read: {malformed.Message}");
            }

            var errors = new ValidationErrors();
            if (fileName is null) errors.Add("file", "Attach the CSV file as a form part named 'file'.");
            errors.OneOf("kind", fields.GetValueOrDefault("kind"), ImportKinds.All, required: true);
            Guid? mapId = null;
            if (fields.GetValueOrDefault("mapId") is { Length: > 0 } mapText)
            {
                if (!Guid.TryParse(mapText, out var parsed)) errors.Add("mapId", "Not a map id.");
                else if (!await db.Maps.AnyAsync(m => m.Id == parsed && m.WorkspaceId == user.WorkspaceId(), ct)) errors.Add("mapId", "No map with this id in your workspace.");
                else mapId = parsed;
            }
            if (mapId is not null && fields.GetValueOrDefault("kind")?.Trim() == ImportKinds.Customers)
                errors.Add("mapId", "Customer attributes belong to the workspace, not to a map; leave mapId out.");
            var dryRun = fields.GetValueOrDefault("dryRun") is { } dry && (dry.Equals("true", StringComparison.OrdinalIgnoreCase) || dry == "1");
            var mapping = ColumnMapper.ParseMapping(fields.GetValueOrDefault("mapping"), out var mappingError);
            if (mappingError is not null) errors.Add("mapping", mappingError);
            if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

            var kind = fields["kind"]!.Trim();
            var workspaceId = user.WorkspaceId();
            var redact = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.RedactPersonalData).FirstAsync(ct);
            var now = DateTime.UtcNow;
            var inspection = ImportInspection.Inspect(uploadPath, kind, mapping, redact, now, out var problem, out var problemField);
            if (inspection is null) return Unprocessable(problemField, problem!);

            if (dryRun) return TypedResults.Ok(Preview(inspection, fileName!, kind, mapping, redact));

            var import = new Import
            {
                Id = importId,
                WorkspaceId = workspaceId,
                Kind = kind,
                FileName = fileName!,
                FileSize = fileSize,
                MapId = mapId,
                RequestedByKeyId = user.KeyId(),
                MappingJson = fields.GetValueOrDefault("mapping"),
                ResolvedMapping = inspection.Mapping.Describe(),
                DateFormat = mapping?.DateFormat,
                SlashDateOrder = inspection.SlashDateOrder,
                RatingScale = inspection.RatingScale,
                RedactPersonalData = redact,
                DetectedEncoding = inspection.Sniff.EncodingName,
                DetectedDelimiter = inspection.Delimiter,
                CreatedAt = now,
            };
            // The file is in place before the import is visible to a worker; it goes again if the import cannot be stored (a full disk).
            File.Move(uploadPath, paths.ImportFile(importId));
            db.Imports.Add(import);
            await db.SaveChangesAsync(ct);
            keepFile = true;
            queue.Notify(importId);
            var wait = await ImportKeyLimit.DescribeWaitAsync(db, import, importOptions.Value, ct);
            return TypedResults.Accepted($"/api/imports/{importId}", ToResponse(import, [], wait));
        }
        finally
        {
            if (!keepFile)
            {
                File.Delete(uploadPath);
                File.Delete(paths.ImportFile(importId));
            }
            slots.Release();
        }
    }

    /// <summary>A refused upload is worth trying again soon: uploads in flight end when their bodies have arrived.</summary>
    private const string UploadRetryAfterSeconds = "5";

    /// <summary>
    /// The body ended, or broke off, before the multipart body did (no closing boundary, as when a client disconnects
    /// mid-upload). <see cref="Field"/>: the form part being read then, or "$" between parts.
    /// </summary>
    private sealed class UploadCutShort(string part, IOException inner) : Exception(inner.Message, inner)
    {
        public string Field { get; } = part;

        /// <summary>The connection broke (as opposed to a whole request whose multipart body ends early).</summary>
        public bool ClientGone => InnerException is Microsoft.AspNetCore.Connections.ConnectionResetException or Microsoft.AspNetCore.Connections.ConnectionAbortedException;
    }

    /// <summary>One read of the request body; MultipartReader reports an early end as a plain IOException.</summary>
    private static async Task<T> ReadingPart<T>(string field, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            // Kestrel's own refusals (body over the size limit, a connection that broke) are IOExceptions too; they keep their status.
            throw new UploadCutShort(field, ex);
        }
    }

    /// <summary>Streams the multipart body: the file part goes straight to disk, small text parts are kept.</summary>
    private static async Task<(Dictionary<string, string> Fields, string? FileName, long Size)> ReceiveMultipart(
        HttpRequest request, string boundary, string uploadPath, long maxBytes, CancellationToken ct)
    {
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? fileName = null;
        long size = 0;
        MultipartSection? section;
        while ((section = await ReadingPart("$", () => reader.ReadNextSectionAsync(ct))) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition() && name.Equals("file", StringComparison.OrdinalIgnoreCase) && fileName is null)
            {
                await using var target = new FileStream(uploadPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                // Counted here too: a chunked upload has no Content-Length to refuse up front.
                var buffer = new byte[1 << 16];
                int read;
                // Only reads are wrapped: a failed write (a full disk) is the server's problem, not a cut-off upload.
                while ((read = await ReadingPart("file", () => section.Body.ReadAsync(buffer, ct).AsTask())) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                        throw new BadHttpRequestException($"The upload is larger than the limit of {maxBytes} bytes (Limits:MaxUploadBytes).",
                            StatusCodes.Status413PayloadTooLarge);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                var rawName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                // Control characters (NUL among them, which PostgreSQL cannot store) never belong in a file name.
                fileName = new string(Path.GetFileName(rawName ?? "").Where(c => !char.IsControl(c)).ToArray());
                if (string.IsNullOrWhiteSpace(fileName)) fileName = "upload.csv";
            }
            else if (disposition.IsFormDisposition())
            {
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var buffer = new char[64 * 1024];
                var read = await ReadingPart(name, () => text.ReadBlockAsync(buffer, ct).AsTask());
                fields[name] = new string(buffer, 0, read);
            }
        }
        return (fields, fileName, size);
    }

    private static ImportPreview Preview(ImportInspection inspection, string fileName, string kind, MappingRequest? mapping, bool redact)
    {
        var mapped = inspection.Mapping.FieldToColumn.Values.ToHashSet();
        return new ImportPreview(fileName, kind, inspection.Sniff.EncodingName, inspection.Delimiter, inspection.Header,
            inspection.Mapping.Describe(), inspection.Header.Where((_, i) => !mapped.Contains(i)).ToList(),
            inspection.DateFormatDescription(mapping), inspection.RatingScale, redact,
            inspection.PreviewRows.Select(r => new PreviewRow(r.LineNumber, r.Text, r.ExternalId, r.CustomerId, r.OccurredAt, r.Channel, r.Source,
                r.Rating, r.RatingScale, r.Title, r.Language, r.Participant, r.Question, r.MetadataJson)).ToList(),
            inspection.PreviewRejections.Select(r => new RejectedRow(r.LineNumber, r.Column, r.Reason, r.Excerpt)).ToList(),
            kind == ImportKinds.Events
                ? inspection.PreviewEvents.Select(e => new PreviewEvent(e.LineNumber, e.CustomerId, e.OccurredAt, e.Name, e.Url, e.Path, e.SessionId,
                    e.PropertiesJson)).ToList()
                : null,
            kind == ImportKinds.Customers
                ? inspection.PreviewCustomers.Select(c => new PreviewCustomer(c.LineNumber, c.CustomerId,
                    c.Attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal))).ToList()
                : null,
            // Which header became which attribute key, so a client sees the normalisation before anything is stored.
            kind == ImportKinds.Customers
                ? (CustomerFields.AttributeColumns(inspection.Mapping, out _) ?? []).ToDictionary(c => inspection.Header[c.Column], c => c.Key)
                : null);
    }

    private static async Task<Ok<List<ImportStatusResponse>>> ListImports(ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var imports = await db.Imports.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).OrderByDescending(i => i.CreatedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(imports.Select(i => ToResponse(i, [])).ToList());
    }

    private static async Task<Results<Ok<ImportStatusResponse>, NotFound>> GetImport(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db,
        IOptions<ImportOptions> options, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var import = await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.WorkspaceId == workspaceId, ct);
        if (import is null) return TypedResults.NotFound();
        var rejected = await db.ImportRejections.AsNoTracking().Where(r => r.ImportId == id).OrderBy(r => r.LineNumber).Take(20)
            .Select(r => new RejectedRow(r.LineNumber, r.Column, r.Reason, r.Excerpt)).ToListAsync(ct);
        var wait = await ImportKeyLimit.DescribeWaitAsync(db, import, options.Value, ct);
        return TypedResults.Ok(ToResponse(import, rejected, wait));
    }

    private static async Task<Results<Accepted<ImportStatusResponse>, NotFound, ProblemHttpResult>> CancelImport(
        Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var import = await db.Imports.FirstOrDefaultAsync(i => i.Id == id && i.WorkspaceId == workspaceId, ct);
        if (import is null) return TypedResults.NotFound();
        if (import.Status is not (ImportStatus.Queued or ImportStatus.Running))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The import has finished",
                detail: $"Its status is '{import.Status}'; only queued or running imports can be cancelled.");

        import.CancelRequested = true;
        if (import.Status == ImportStatus.Queued)
        {
            import.Status = ImportStatus.Cancelled;
            import.FinishedAt = DateTime.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/api/imports/{id}", ToResponse(import, []));
    }

    private static async Task<Results<PushStreamHttpResult, NotFound>> ExportErrors(Guid id, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var import = await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.WorkspaceId == workspaceId, ct);
        if (import is null) return TypedResults.NotFound();
        return TypedResults.Stream(async stream =>
        {
            await using var csv = ExcelCsv.Create(stream);
            foreach (var column in new[] { "line", "column", "reason", "excerpt" }) csv.WriteField(column);
            await csv.NextRecordAsync();
            await foreach (var r in db.ImportRejections.AsNoTracking().Where(r => r.ImportId == id).OrderBy(r => r.LineNumber).AsAsyncEnumerable())
            {
                csv.WriteField(r.LineNumber.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(r.Column ?? "");
                csv.WriteField(r.Reason);
                csv.WriteField(r.Excerpt ?? "");
                await csv.NextRecordAsync();
            }
        }, "text/csv; charset=utf-8", $"import-{id}-errors.csv");
    }

    private static ImportStatusResponse ToResponse(Import i, IReadOnlyList<RejectedRow> rejected, (int Position, string Reason)? wait = null) => new(
        i.Id, i.Kind, i.FileName, i.FileSize, i.MapId, i.Status, i.FailureReason, i.BytesRead, i.RowsRead, i.Imported, i.SkippedDuplicates,
        i.Attached, i.Rejected, i.FileSize == 0 ? 100 : Math.Round(100.0 * Math.Min(i.BytesRead, i.FileSize) / i.FileSize, 1),
        i.DetectedEncoding, i.DetectedDelimiter, i.ResolvedMapping, i.DateFormat ?? i.SlashDateOrder, i.RatingScale, rejected,
        i.CreatedAt, i.StartedAt, i.FinishedAt, RowsPerSecond(i), EstimatedSecondsLeft(i), wait?.Position, wait?.Reason);

    /// <summary>
    /// Processing time up to the last committed batch (its heartbeat), or the whole run once finished. Rows and bytes are
    /// counted at that same commit, so the rate does not sag between batches.
    /// </summary>
    private static TimeSpan? MeasuredTime(Import i) =>
        i.StartedAt is { } started && (i.FinishedAt ?? i.HeartbeatAt) is { } measuredAt && measuredAt > started && i.RowsRead > 0
            ? measuredAt - started
            : null;

    private static double? RowsPerSecond(Import i) =>
        MeasuredTime(i) is { } elapsed ? Math.Round(i.RowsRead / elapsed.TotalSeconds, 1) : null;

    /// <summary>The number of rows is unknown until the end, so the rest is estimated from the bytes still to read.</summary>
    private static long? EstimatedSecondsLeft(Import i)
    {
        if (i.Status != ImportStatus.Running || i.FileSize <= 0 || i.BytesRead <= 0 || MeasuredTime(i) is not { } elapsed) return null;
        var bytesPerSecond = i.BytesRead / elapsed.TotalSeconds;
        return (long)Math.Ceiling(Math.Max(0, i.FileSize - i.BytesRead) / bytesPerSecond);
    }

    private static ProblemHttpResult Unprocessable(string field, string reason) => TypedResults.Problem(new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { [field] = [reason] })
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "The file cannot be imported.",
        Detail = reason,
    });
}
