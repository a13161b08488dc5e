using System.Security.Claims;
using System.Text;
using System.Text.Json;
using JourneyFeedback.Api.Auth;
using JourneyFeedback.Api.Data;
using JourneyFeedback.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace JourneyFeedback.Api.Segments;

/// <summary>Reading customer attributes (written by imports and invitations, Segments/CustomerUpserts.cs); readable like evidence.</summary>
internal static class CustomersEndpoints
{
    private const int MaxAttributeFilters = 10;

    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/customers").WithTags("Customers").RequireAuthorization(Policies.Read);
        customers.MapGet("/", ListCustomers).WithName("ListCustomers")
            .WithSummary("Customers with their attributes, by customer id; filter with attribute=key (has it) or attribute=key=value (ignoring case)");
        customers.MapGet("/{customerId}", GetCustomer).WithName("GetCustomer").WithSummary("One customer's attributes");
        return app;
    }

    private static async Task<Results<Ok<CustomersPage>, ProblemHttpResult>> ListCustomers(
        ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct,
        string[]? attribute = null, int page = 1, int pageSize = Paging.DefaultPageSize)
    {
        if (Paging.Problem(page, pageSize) is { } pagingProblem) return pagingProblem;
        attribute ??= [];
        if (attribute.Length > MaxAttributeFilters) return Problems.BadRequest("attribute", $"At most {MaxAttributeFilters} attribute filters.");

        var filters = new List<(string Key, string? Value)>(attribute.Length);
        foreach (var filter in attribute)
        {
            // The key is normalised like stored keys; "=" separates it from the value, which may itself contain "=".
            var separator = filter.IndexOf('=');
            var rawKey = separator < 0 ? filter : filter[..separator];
            if (CustomerAttributes.Key(rawKey) is not { } key)
                return Problems.BadRequest("attribute", $"'{filter}': write attribute=key or attribute=key=value; the key needs a letter or digit.");
            var value = separator < 0 ? null : CustomerAttributes.Value(filter[(separator + 1)..]);
            if (separator >= 0 && value is null) return Problems.BadRequest("attribute", $"'{filter}': the value is empty.");
            filters.Add((key, value));
        }

        var workspaceId = user.WorkspaceId();
        var customers = (filters.Count == 0 ? db.Customers : WithAttributes(db, filters)).AsNoTracking().Where(c => c.WorkspaceId == workspaceId);
        var total = await customers.CountAsync(ct);
        var rows = await customers.OrderBy(c => c.CustomerId).Page(page, pageSize).ToListAsync(ct);
        return TypedResults.Ok(new CustomersPage(page, pageSize, total, rows.Select(ToResponse).ToList()));
    }

    /// <summary>
    /// The customers whose attributes pass every filter. Keys and values are bound as parameters (keys are letters and
    /// digits only, so the SQLite JSON path quoting them cannot be broken out of). lower() folds ASCII letters on SQLite
    /// and every letter on PostgreSQL.
    /// </summary>
    private static IQueryable<Customer> WithAttributes(JourneyFeedbackDb db, List<(string Key, string? Value)> filters)
    {
        var postgres = db.Database.IsNpgsql();
        var sql = new StringBuilder("""SELECT * FROM "Customers" WHERE 1 = 1""");
        var parameters = new List<object>();
        foreach (var (key, value) in filters)
        {
            var keyParameter = "{" + parameters.Count + "}";
            var read = postgres ? $"(\"Attributes\"::jsonb ->> {keyParameter})" : $"json_extract(\"Attributes\", '$.\"' || {keyParameter} || '\"')";
            parameters.Add(key);
            if (value is null) sql.Append($" AND {read} IS NOT NULL");
            else
            {
                sql.Append($" AND lower({read}) = lower({{{parameters.Count}}})");
                parameters.Add(value);
            }
        }
        return db.Customers.FromSqlRaw(sql.ToString(), [.. parameters]);
    }

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> GetCustomer(
        string customerId, ClaimsPrincipal user, JourneyFeedbackDb db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceId();
        var id = customerId.Trim();
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.CustomerId == id, ct);
        return customer is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such customer",
                detail: $"The workspace has no attributes for customer '{id}': none of its imports or invitations named this customer id.")
            : TypedResults.Ok(ToResponse(customer));
    }

    private static CustomerResponse ToResponse(Customer c) => new(c.CustomerId,
        new SortedDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(c.Attributes) ?? [], StringComparer.Ordinal),
        c.UpdatedAt);
}
