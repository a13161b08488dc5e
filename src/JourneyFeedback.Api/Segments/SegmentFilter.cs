using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using JourneyFeedback.Api.Insights;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Segments;

/// <summary>
/// A segment ready to filter: the expression (saved or inline) with the workspace's customer attributes it reads. It
/// turns into a mask over the rows of an in-memory table (a map's evidence snapshot, a journey log, a list of survey
/// answers): each condition is decided once per distinct value of its column, then combined per row.
/// </summary>
internal sealed class SegmentFilter(SegmentExpression expression, CustomerDirectory customers, Guid? savedId = null, string? name = null,
    bool persona = false)
{
    /// <summary>The map's persona's segment (asked for with <c>for=persona</c>).</summary>
    public bool IsPersona { get; } = persona;
    public SegmentView View => new(SavedId, Name, Text, IsPersona);

    public SegmentExpression Expression { get; } = expression;
    public CustomerDirectory Customers { get; } = customers;
    public Guid? SavedId { get; } = savedId;
    public string? Name { get; } = name;

    /// <summary>The canonical expression: what responses echo and caches key on (with <see cref="CustomersVersion"/>).</summary>
    public string Text { get; } = expression.ToString();
    public long CustomersVersion => Customers.Version;

    /// <summary>A column of item values: the distinct values and each row's value id (-1 or an empty value: none).</summary>
    public readonly record struct ItemColumn(IReadOnlyList<string> Values, Func<int, int> IdOf);

    /// <summary>
    /// Which of <paramref name="count"/> rows are in the segment. <paramref name="itemColumn"/> gives the column of an item
    /// field (null: the rows do not have it); <paramref name="customerOf"/> gives a row's index into
    /// <paramref name="customerIds"/> (-1: no customer).
    /// </summary>
    public bool[] Mask(int count, Func<string, ItemColumn?> itemColumn, IReadOnlyList<string> customerIds, Func<int, int> customerOf)
    {
        int[]? directoryRow = null;
        var masks = new bool[Expression.Conditions.Count][];
        foreach (var condition in Expression.Conditions)
        {
            var mask = new bool[count];
            if (condition.IsItemField)
            {
                if (itemColumn(condition.Field) is { } column)
                {
                    var accepts = column.Values.Select(v => condition.Holds(v.Length == 0 ? null : v)).ToArray();
                    var none = condition.Holds(null);
                    for (var i = 0; i < count; i++) mask[i] = column.IdOf(i) is var id and >= 0 ? accepts[id] : none;
                }
                else Array.Fill(mask, condition.Holds(null));
            }
            else
            {
                directoryRow ??= customerIds.Select(Customers.IndexOf).ToArray();
                var none = condition.Holds(null);
                if (Customers.Column(condition.Field) is { } attribute)
                {
                    var accepts = attribute.Accepts(condition);
                    var valueOf = attribute.ValueOf;
                    for (var i = 0; i < count; i++)
                    {
                        var c = customerOf(i);
                        var row = c < 0 ? -1 : directoryRow[c];
                        var v = row < 0 || row >= valueOf.Length ? -1 : valueOf[row];
                        mask[i] = v < 0 ? none : accepts[v];
                    }
                }
                else Array.Fill(mask, none);
            }
            masks[condition.Index] = mask;
        }
        return Combine(Expression.Root, masks, count);
    }

    private static bool[] Combine(SegmentNode node, bool[][] masks, int count)
    {
        switch (node)
        {
            case ConditionLeaf leaf: return (bool[])masks[leaf.Condition.Index].Clone();
            case NotNode not:
            {
                var inner = Combine(not.Inner, masks, count);
                for (var i = 0; i < count; i++) inner[i] = !inner[i];
                return inner;
            }
            case AndNode and:
            {
                var (left, right) = (Combine(and.Left, masks, count), Combine(and.Right, masks, count));
                for (var i = 0; i < count; i++) left[i] &= right[i];
                return left;
            }
            case OrNode or:
            {
                var (left, right) = (Combine(or.Left, masks, count), Combine(or.Right, masks, count));
                for (var i = 0; i < count; i++) left[i] |= right[i];
                return left;
            }
            default: throw new InvalidOperationException($"Unknown segment node {node.GetType().Name}.");
        }
    }

    private static readonly ConditionalWeakTable<MapEvidence, ConcurrentDictionary<(string, long), bool[]>> SnapshotMasks = new();

    /// <summary>Masks kept per snapshot: a byte per item each, so inline expressions cannot pile up without bound.</summary>
    private const int MasksPerSnapshot = 32;

    /// <summary>The snapshot's items in the segment, computed once per snapshot, expression and attributes version.</summary>
    public bool[] Mask(MapEvidence e)
    {
        var masks = SnapshotMasks.GetOrCreateValue(e);
        if (masks.TryGetValue((Text, CustomersVersion), out var known)) return known;
        if (masks.Count >= MasksPerSnapshot) masks.Clear();
        return masks.GetOrAdd((Text, CustomersVersion), _ => SnapshotMask(e));
    }

    private bool[] SnapshotMask(MapEvidence e) =>
        Mask(e.Count, field => field switch
        {
            "kind" => new ItemColumn(e.Kinds, i => e.Kind[i]),
            "source" => new ItemColumn(e.Sources, i => e.Source[i]),
            "channel" => new ItemColumn(e.Channels, i => e.Channel[i]),
            "language" => new ItemColumn(e.Languages, i => e.Language[i]),
            _ => null,
        }, e.CustomerIds, i => e.Customer.Length == 0 ? -1 : e.Customer[i]);

    /// <summary>
    /// Rows read from the database (not a snapshot): <paramref name="fieldOf"/> gives an item field's value per row (null:
    /// the rows do not have that field), <paramref name="customerOf"/> the row's customer id.
    /// </summary>
    public bool[] MaskRows(int count, Func<string, Func<int, string?>?> fieldOf, Func<int, string?> customerOf)
    {
        var customers = new Interner<string>(StringComparer.Ordinal);
        var customer = new int[count];
        for (var i = 0; i < count; i++) customer[i] = customerOf(i) is { } c ? customers.Id(c) : -1;
        return Mask(count, field =>
        {
            if (fieldOf(field) is not { } valueOf) return null;
            var values = new Interner<string>(StringComparer.Ordinal);
            var ids = new int[count];
            for (var i = 0; i < count; i++) ids[i] = values.Id(valueOf(i) ?? "");
            return new ItemColumn(values.ToArray(), i => ids[i]);
        }, customers.ToArray(), i => customer[i]);
    }

    /// <summary>
    /// Survey answers (or invitations) judged as items are: kind <c>survey</c>, the invitation's channel and its customer's
    /// attributes; they have no source or language.
    /// </summary>
    public bool[] MaskInvitations(int count, Func<int, string?> customerOf, Func<int, string?> channelOf) =>
        MaskRows(count, field => field switch
        {
            "kind" => _ => "survey",
            "channel" => channelOf,
            _ => null,
        }, customerOf);

    /// <summary>
    /// The verdict on every survey answer when the expression reads only item fields (an answer is kind <c>survey</c>
    /// with no source or language); null when it reads the invitation's channel or a customer attribute.
    /// </summary>
    public bool? VerdictOnEveryAnswer() =>
        Expression.Conditions.All(c => c.Field is "kind" or "source" or "language") ? HoldsForInvitation(null, null) : null;

    /// <summary>One survey answer, judged as <see cref="MaskInvitations"/> judges many (for rows streamed one by one).</summary>
    public bool HoldsForInvitation(string? customerId, string? channel) => Expression.Evaluate(i =>
    {
        var condition = Expression.Conditions[i];
        return condition.Holds(condition.Field switch
        {
            "kind" => "survey",
            "channel" => string.IsNullOrEmpty(channel) ? null : channel,
            "source" or "language" => null,
            var key => Customers.ValueOf(customerId, key),
        });
    });

    public Func<int, bool> Compile(MapEvidence e)
    {
        var mask = Mask(e);
        return i => mask[i];
    }
}

/// <summary>Reads <c>segment=</c>: a saved segment's id, or an inline expression; with the attributes it needs.</summary>
internal sealed class SegmentResolver(JourneyFeedbackDb db, CustomerDirectoryCache customers)
{
    public async Task<(SegmentFilter? Filter, ProblemHttpResult? Problem)> ResolveAsync(Guid workspaceId, string? text, CancellationToken ct,
        string parameter = "segment")
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        if (Guid.TryParse(text.Trim(), out var id)) return await SavedAsync(workspaceId, id, ct, parameter);
        var expression = SegmentExpression.TryParse(text, out var error);
        if (expression is null) return (null, Problems.BadRequest(parameter, error!));
        return (await WithCustomersAsync(workspaceId, expression, null, null, ct), null);
    }

    /// <summary>
    /// The segment a map view is for: <c>for=persona</c> (the map's persona's segment) or <c>segment=</c> (an id or an
    /// expression), not both; neither is everyone.
    /// </summary>
    public async Task<(SegmentFilter? Filter, ProblemHttpResult? Problem)> ForMapAsync(Maps.JourneyMap map, string? forWhom, string? segment, CancellationToken ct)
    {
        switch (forWhom?.Trim().ToLowerInvariant())
        {
            case null or "" or "everyone":
                return await ResolveAsync(map.WorkspaceId, segment, ct);
            case "persona" when !string.IsNullOrWhiteSpace(segment):
                return (null, Problems.BadRequest("for", "Ask for the persona or for a segment, not both."));
            case "persona" when map.Persona.SegmentId is not { } personaSegment:
                return (null, Problems.BadRequest("for", "The map's persona is not bound to a segment: set persona.segmentId on the map first."));
            case "persona":
                var (filter, problem) = await SavedAsync(map.WorkspaceId, map.Persona.SegmentId!.Value, ct, "for");
                return filter is null ? (null, problem) : (new SegmentFilter(filter.Expression, filter.Customers, filter.SavedId, filter.Name, persona: true), null);
            default:
                return (null, Problems.BadRequest("for", "Use for=persona (the map's persona's segment) or for=everyone."));
        }
    }

    public async Task<(SegmentFilter? Filter, ProblemHttpResult? Problem)> SavedAsync(Guid workspaceId, Guid id, CancellationToken ct, string parameter = "segment")
    {
        var saved = await db.Segments.AsNoTracking().Where(s => s.Id == id && s.WorkspaceId == workspaceId)
            .Select(s => new { s.Id, s.Name, s.Expression }).FirstOrDefaultAsync(ct);
        if (saved is null) return (null, Problems.BadRequest(parameter, $"There is no segment {id} in this workspace."));
        var expression = SegmentExpression.TryParse(saved.Expression, out var error)
            ?? throw new InvalidOperationException($"Saved segment {id} no longer parses: {error}");
        return (await WithCustomersAsync(workspaceId, expression, saved.Id, saved.Name, ct), null);
    }

    private async Task<SegmentFilter> WithCustomersAsync(Guid workspaceId, SegmentExpression expression, Guid? id, string? name, CancellationToken ct) =>
        new(expression, expression.UsesAttributes ? await customers.GetAsync(db, workspaceId, ct) : CustomerDirectory.Empty, id, name);
}
