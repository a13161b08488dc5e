using JourneyFeedback.Api.Hosting;

namespace JourneyFeedback.Api.Maps;

/// <summary>
/// GET returns members the server owns (ids, version, timestamps, positions, a touchpoint's stage). The most common
/// update is to send that document back with one field changed, so PUT accepts them; one that disagrees with the
/// resource (another map's id, an older version) is refused naming the field rather than ignored, since the client
/// then holds something other than what it is about to overwrite. Absent or null members are never a disagreement.
/// </summary>
internal static class ReadOnlyMembers
{
    /// <summary>Databases keep microseconds and a response may carry the 100-ns clock, so times agree to the millisecond.</summary>
    private static readonly TimeSpan TimeTolerance = TimeSpan.FromMilliseconds(1);

    /// <summary>A new map has none of these yet; the document is probably meant for PUT.</summary>
    public static void RefuseOnCreate(ValidationErrors errors, MapDocument document)
    {
        const string message = "Assigned by the server; leave it out to create a map (PUT /api/maps/{id} replaces an existing one).";
        if (document.Id is not null) errors.Add("id", message);
        if (document.Version is not null) errors.Add("version", message);
        if (document.CreatedAt is not null) errors.Add("createdAt", message);
        if (document.UpdatedAt is not null) errors.Add("updatedAt", message);
        CheckStages(errors, document.Stages, map: null);
    }

    /// <summary>Checks a PUT document's read-only members against the stored map, before anything is replaced.</summary>
    public static void CheckReplacement(ValidationErrors errors, MapDocument document, JourneyMap map)
    {
        if (document.Id is { } id && id != map.Id)
            errors.Add("id", $"This document is map {id}, not {map.Id}; send it to /api/maps/{id} or leave id out.");
        if (document.Version is { } version && version != map.Version)
            errors.Add("version", $"The map is at version {map.Version}, this document was read at version {version}. Read the map again and reapply your change.");
        if (document.CreatedAt is { } createdAt && !SameTime(createdAt, map.CreatedAt))
            errors.Add("createdAt", $"The map was created at {map.CreatedAt:O}; send createdAt back unchanged or leave it out.");
        if (document.UpdatedAt is { } updatedAt && !SameTime(updatedAt, map.UpdatedAt))
            errors.Add("updatedAt", $"The map was last changed at {map.UpdatedAt:O}, not {updatedAt:O}. Read the map again and reapply your change.");
        CheckStages(errors, document.Stages, map);
    }

    /// <summary>
    /// The order of the lists decides positions and the enclosing stage decides a touchpoint's stage. A value is
    /// accepted when it says that, or when it is what the stored stage or touchpoint with that id has (a GET document
    /// with an entry removed or moved still carries the old value).
    /// </summary>
    public static void CheckStages(ValidationErrors errors, IReadOnlyList<StageDocument>? stages, JourneyMap? map)
    {
        var storedStages = map?.Stages.ToDictionary(s => s.Id) ?? [];
        var storedTouchpoints = map?.Stages.SelectMany(s => s.Touchpoints).ToDictionary(t => t.Id) ?? [];
        var list = stages ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not { } stage) continue;
            var stored = stage.Id is { } sid ? storedStages.GetValueOrDefault(sid) : null;
            if (stage.Position is { } position && position != i && position != stored?.Position)
                errors.Add($"stages[{i}].position", $"Read-only: the order of the list decides it (this stage is at {i}). Move the stage in the list instead.");
            CheckTouchpoints(errors, $"stages[{i}].touchpoints", stage.Id, stage.Touchpoints, storedTouchpoints);
        }
    }

    /// <summary>The touchpoints of a stage being added (<c>POST .../stages</c>): nothing is stored yet.</summary>
    public static void CheckNewStage(ValidationErrors errors, IReadOnlyList<TouchpointDocument>? touchpoints) =>
        CheckTouchpoints(errors, "touchpoints", stageId: null, touchpoints, storedTouchpoints: []);

    private static void CheckTouchpoints(ValidationErrors errors, string path, Guid? stageId, IReadOnlyList<TouchpointDocument>? touchpoints,
        Dictionary<Guid, Touchpoint> storedTouchpoints)
    {
        var list = touchpoints ?? [];
        for (var j = 0; j < list.Count; j++)
        {
            if (list[j] is not { } touchpoint) continue;
            var stored = touchpoint.Id is { } tid ? storedTouchpoints.GetValueOrDefault(tid) : null;
            if (touchpoint.Position is { } position && position != j && position != stored?.Position)
                errors.Add($"{path}[{j}].position", $"Read-only: the order of the list decides it (this touchpoint is at {j}). Move it in the list instead.");
            if (touchpoint.StageId is { } sentStage && sentStage != stageId && sentStage != stored?.StageId)
                errors.Add($"{path}[{j}].stageId", "Read-only: the enclosing stage decides it. Move the touchpoint into that stage's list instead.");
        }
    }

    /// <summary>Stage edits do not change touchpoints; the ones a GET of the stage returned may come back unchanged.</summary>
    public static void CheckStageEdit(ValidationErrors errors, UpdateStageRequest request, Stage stage)
    {
        if (request.Id is { } id && id != stage.Id)
            errors.Add("id", $"This document is stage {id}, not {stage.Id}; leave id out or send it to that stage.");
        if (request.Touchpoints is not { } sent) return;

        const string howToEdit = "Touchpoints are read-only here; change them with PUT /api/maps/{id}/touchpoints/{touchpointId} or PUT /api/maps/{id}.";
        var stored = stage.Touchpoints.OrderBy(t => t.Position).ToList();
        if (sent.Count != stored.Count)
        {
            errors.Add("touchpoints", $"This stage has {stored.Count} touchpoints, not {sent.Count}. {howToEdit}");
            return;
        }
        for (var j = 0; j < sent.Count; j++)
        {
            if (sent[j] is null) { errors.Add($"touchpoints[{j}]", "Must be an object, not null."); continue; }
            if (FirstDifference(sent[j], stored[j]) is { } field) errors.Add($"touchpoints[{j}].{field}", $"Differs from the stored touchpoint. {howToEdit}");
        }
    }

    public static void CheckTouchpointEdit(ValidationErrors errors, TouchpointRequest request, Touchpoint touchpoint)
    {
        if (request.Id is { } id && id != touchpoint.Id)
            errors.Add("id", $"This document is touchpoint {id}, not {touchpoint.Id}; leave id out or send it to that touchpoint.");
    }

    /// <summary>The first member of <paramref name="sent"/> that would change <paramref name="stored"/>, compared as stored (trimmed, cleaned).</summary>
    private static string? FirstDifference(TouchpointRequest sent, Touchpoint stored)
    {
        if (sent.Id is { } id && id != stored.Id) return "id";
        if (sent.StageId is { } stageId && stageId != stored.StageId) return "stageId";
        if (sent.Position is { } position && position != stored.Position) return "position";

        // Cleaned the way a write would store them, with omitted members standing for the stored value.
        var cleaned = new Touchpoint { Name = "" };
        cleaned.Apply(new TouchpointDocument(
            sent.Name ?? stored.Name,
            sent.Channel ?? stored.Channel,
            sent.Phase ?? stored.Phase,
            sent.Description ?? stored.Description,
            sent.Keywords ?? stored.Keywords,
            KeywordsByLanguage: sent.KeywordsByLanguage ?? stored.KeywordsByLanguage.ToDocument()));
        if (cleaned.Name != stored.Name) return "name";
        if (cleaned.Channel != stored.Channel) return "channel";
        if (cleaned.Phase != stored.Phase) return "phase";
        if (cleaned.Description != stored.Description) return "description";
        if (!cleaned.Keywords.SequenceEqual(stored.Keywords)) return "keywords";
        var sameLanguages = cleaned.KeywordsByLanguage.Count == stored.KeywordsByLanguage.Count
            && cleaned.KeywordsByLanguage.All(k => stored.KeywordsByLanguage.TryGetValue(k.Key, out var words) && words.SequenceEqual(k.Value));
        return sameLanguages ? null : "keywordsByLanguage";
    }

    private static bool SameTime(DateTime sent, DateTime stored)
    {
        // A time with an offset arrives as local time; stored times are UTC whatever their Kind says.
        var utc = sent.Kind == DateTimeKind.Local ? sent.ToUniversalTime() : sent;
        return (utc - stored).Duration() < TimeTolerance;
    }
}
