using System.Globalization;
using System.Text;

namespace JourneyFeedback.Api.Segments;

/// <summary>
/// A segment filter, parsed from text by a small recursive-descent parser into a tree that is evaluated in memory: no
/// SQL is ever built from it. Grammar (docs/segments.md):
/// <code>
/// expression := or
/// or         := and ( OR and )*
/// and        := unary ( AND unary )*
/// unary      := NOT unary | '(' expression ')' | condition
/// condition  := field ( '=' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' ) value
///             | field [NOT] IN '(' value ( ',' value )* ')'
///             | field ':' value                       (the older key:value form, same as '=')
/// field      := letters, digits, '_', '-', '.'        (normalised as attribute keys are)
/// value      := bare word | "double" or 'single' quoted text (\" \' \\ escape) | number | date (yyyy-mm-dd)
/// </code>
/// Keywords are case-insensitive. Fields <c>kind</c>, <c>source</c>, <c>channel</c>, <c>language</c> are the item's own;
/// every other field is a customer attribute. Limits keep hostile input cheap: 2,000 characters, 100 conditions, nesting 20.
/// </summary>
internal sealed class SegmentExpression
{
    public const int MaxLength = 2000, MaxConditions = 100, MaxDepth = 20, MaxValuesInList = 500;

    /// <summary>Fields read from the item itself rather than from the customer's attributes.</summary>
    public static readonly string[] ItemFields = ["kind", "source", "channel", "language"];

    public SegmentNode Root { get; }
    public IReadOnlyList<Condition> Conditions { get; }

    private SegmentExpression(SegmentNode root, IReadOnlyList<Condition> conditions) => (Root, Conditions) = (root, conditions);

    public bool UsesAttributes => Conditions.Any(c => !c.IsItemField);

    /// <summary>The canonical text: keywords upper-case, fields normalised, values quoted when they need it.</summary>
    public override string ToString() => Root.ToString()!;

    /// <summary>Evaluates the tree with <paramref name="holds"/> deciding each condition (by its index in <see cref="Conditions"/>).</summary>
    public bool Evaluate(Func<int, bool> holds) => Root.Evaluate(holds);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the bad part and where it is.</summary>
    public static SegmentExpression? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "The expression is empty."; return null; }
        if (text.Length > MaxLength) { error = $"The expression is longer than {MaxLength} characters."; return null; }
        try
        {
            // The older form "key:value" of the insights filter takes the rest of the text as the value (spaces and all).
            var colon = text.IndexOf(':');
            if (colon > 0 && ItemFields.Contains(text[..colon].Trim().ToLowerInvariant()) && text.IndexOfAny(['(', '"', '\'', '=', '<', '>']) < 0)
            {
                var condition = Condition.Create(0, text[..colon].Trim().ToLowerInvariant(), Operator.Equal, [text[(colon + 1)..]], colon + 1, out error);
                return condition is null ? null : new SegmentExpression(new ConditionLeaf(condition), [condition]);
            }
            var parser = new Parser(Tokenize(text));
            var root = parser.Expression(0);
            parser.ExpectEnd();
            return new SegmentExpression(root, parser.Conditions);
        }
        catch (SegmentSyntaxException e)
        {
            error = e.Message;
            return null;
        }
    }

    private enum TokenType { Word, Quoted, Symbol, End }

    private readonly record struct Token(TokenType Type, string Text, int Position)
    {
        public bool IsKeyword(string keyword) => Type == TokenType.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
        public bool IsSymbol(string symbol) => Type == TokenType.Symbol && Text == symbol;
        public string Describe() => Type switch
        {
            TokenType.End => "the end of the expression",
            TokenType.Quoted => $"\"{Text}\" at position {Position + 1}",
            _ => $"'{Text}' at position {Position + 1}",
        };
    }

    private sealed class SegmentSyntaxException(string message) : Exception(message);

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '+' or '/' or '@';

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= text.Length) throw new SegmentSyntaxException($"The text quoted at position {start + 1} has no closing {c}.");
                    if (text[i] == '\\' && i + 1 < text.Length) { value.Append(text[++i]); continue; }
                    if (text[i] == c) { i++; break; }
                    value.Append(text[i]);
                }
                tokens.Add(new Token(TokenType.Quoted, value.ToString(), start));
            }
            else if (IsWordChar(c))
            {
                while (i < text.Length && IsWordChar(text[i])) i++;
                tokens.Add(new Token(TokenType.Word, text[start..i], start));
            }
            else if (c is '<' or '>' or '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new Token(TokenType.Symbol, text.Substring(i, 2), start));
                i += 2;
            }
            else if (c == '<' && i + 1 < text.Length && text[i + 1] == '>')
            {
                tokens.Add(new Token(TokenType.Symbol, "!=", start));
                i += 2;
            }
            else if (c is '=' or '<' or '>' or '(' or ')' or ',' or ':')
            {
                tokens.Add(new Token(TokenType.Symbol, c.ToString(), start));
                i++;
            }
            else throw new SegmentSyntaxException($"Unexpected character '{c}' at position {start + 1}.");
        }
        tokens.Add(new Token(TokenType.End, "", text.Length));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _next;
        public readonly List<Condition> Conditions = [];

        private Token Peek => tokens[_next];
        private Token Take() => tokens[_next++];

        public void ExpectEnd()
        {
            if (Peek.Type != TokenType.End) throw new SegmentSyntaxException($"Expected AND, OR or the end, found {Peek.Describe()}.");
        }

        public SegmentNode Expression(int depth)
        {
            if (depth > MaxDepth) throw new SegmentSyntaxException($"The expression nests deeper than {MaxDepth} levels.");
            var left = And(depth);
            while (Peek.IsKeyword("OR")) { Take(); left = new OrNode(left, And(depth)); }
            return left;
        }

        private SegmentNode And(int depth)
        {
            var left = Unary(depth);
            while (Peek.IsKeyword("AND")) { Take(); left = new AndNode(left, Unary(depth)); }
            return left;
        }

        private SegmentNode Unary(int depth)
        {
            if (depth > MaxDepth) throw new SegmentSyntaxException($"The expression nests deeper than {MaxDepth} levels.");
            if (Peek.IsKeyword("NOT")) { Take(); return new NotNode(Unary(depth + 1)); }
            if (Peek.IsSymbol("("))
            {
                var open = Take();
                var inner = Expression(depth + 1);
                if (!Peek.IsSymbol(")")) throw new SegmentSyntaxException($"The parenthesis opened at position {open.Position + 1} is not closed: found {Peek.Describe()}.");
                Take();
                return inner;
            }
            return ConditionNode();
        }

        private SegmentNode ConditionNode()
        {
            var fieldToken = Take();
            if (fieldToken.Type != TokenType.Word || IsReserved(fieldToken))
                throw new SegmentSyntaxException($"Expected a field name (such as plan or kind), found {fieldToken.Describe()}.");
            var field = CustomerAttributes.Key(fieldToken.Text)
                ?? throw new SegmentSyntaxException($"'{fieldToken.Text}' at position {fieldToken.Position + 1} is not a field name (use letters and digits).");

            Operator op;
            List<Token> values;
            var opToken = Take();
            if (opToken.IsKeyword("IN") || opToken.IsKeyword("NOT") && Peek.IsKeyword("IN"))
            {
                if (opToken.IsKeyword("NOT")) Take();
                op = opToken.IsKeyword("NOT") ? Operator.NotIn : Operator.In;
                values = List(opToken);
            }
            else
            {
                op = opToken.Type == TokenType.Symbol ? opToken.Text switch
                {
                    "=" or ":" => Operator.Equal,
                    "!=" => Operator.NotEqual,
                    "<" => Operator.Less,
                    "<=" => Operator.LessOrEqual,
                    ">" => Operator.Greater,
                    ">=" => Operator.GreaterOrEqual,
                    _ => throw Expected(fieldToken, opToken),
                } : throw Expected(fieldToken, opToken);
                values = [Value()];
            }

            if (Conditions.Count == MaxConditions) throw new SegmentSyntaxException($"The expression has more than {MaxConditions} conditions.");
            var condition = Segments.Condition.Create(Conditions.Count, field, op, values.Select(v => v.Text).ToList(), fieldToken.Position, out var problem);
            if (problem is not null) throw new SegmentSyntaxException(problem);
            Conditions.Add(condition!);
            return new ConditionLeaf(condition!);
        }

        private static SegmentSyntaxException Expected(Token field, Token found) =>
            new($"Expected =, !=, <, <=, >, >=, IN or NOT IN after '{field.Text}', found {found.Describe()}.");

        private List<Token> List(Token at)
        {
            if (!Peek.IsSymbol("(")) throw new SegmentSyntaxException($"Expected '(' after {at.Text.ToUpperInvariant()} at position {at.Position + 1}, found {Peek.Describe()}.");
            Take();
            var values = new List<Token> { Value() };
            while (Peek.IsSymbol(","))
            {
                Take();
                values.Add(Value());
                if (values.Count > MaxValuesInList) throw new SegmentSyntaxException($"A list holds at most {MaxValuesInList} values.");
            }
            if (!Peek.IsSymbol(")")) throw new SegmentSyntaxException($"Expected ',' or ')' in the list, found {Peek.Describe()}.");
            Take();
            return values;
        }

        private Token Value()
        {
            var token = Take();
            if (token.Type == TokenType.Quoted || token.Type == TokenType.Word && !IsReserved(token)) return token;
            throw new SegmentSyntaxException($"Expected a value, found {token.Describe()} (quote values that are keywords or hold spaces).");
        }

        private static bool IsReserved(Token t) => t.IsKeyword("AND") || t.IsKeyword("OR") || t.IsKeyword("NOT") || t.IsKeyword("IN");
    }
}

internal enum Operator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, In, NotIn }

/// <summary>
/// One comparison of a field with values. Equality and lists compare text ignoring case (after the attribute value
/// normalisation); the order operators compare numbers, or dates (yyyy-mm-dd) when the value is one. A field a customer
/// does not have satisfies only the negative forms (!=, NOT IN), as NOT (field = value) would.
/// </summary>
internal sealed class Condition
{
    public required int Index { get; init; }
    public required string Field { get; init; }
    public required Operator Op { get; init; }
    public required IReadOnlyList<string> Values { get; init; }
    public bool IsItemField => SegmentExpression.ItemFields.Contains(Field);

    private double _number;
    private bool _isDate;

    public static Condition? Create(int index, string field, Operator op, List<string> rawValues, int position, out string? problem)
    {
        problem = null;
        var values = new List<string>(rawValues.Count);
        foreach (var raw in rawValues)
        {
            var value = CustomerAttributes.Value(raw);
            if (value is null) { problem = $"The value for '{field}' at position {position + 1} is empty."; return null; }
            values.Add(value);
        }
        var condition = new Condition { Index = index, Field = field, Op = op, Values = values };
        if (op is Operator.Less or Operator.LessOrEqual or Operator.Greater or Operator.GreaterOrEqual)
        {
            if (TryDate(values[0], out var date)) (condition._number, condition._isDate) = (date.Ticks, true);
            else if (CustomerAttributes.Number(values[0]) is { } n) condition._number = n;
            else
            {
                problem = $"'{field}' at position {position + 1} is compared with '{values[0]}' by order: use a number or a date (yyyy-mm-dd).";
                return null;
            }
        }
        return condition;
    }

    /// <summary>Whether a stored value (null: the customer does not have the field) satisfies the condition.</summary>
    public bool Holds(string? value)
    {
        switch (Op)
        {
            case Operator.Equal: return value is not null && string.Equals(value, Values[0], StringComparison.OrdinalIgnoreCase);
            case Operator.NotEqual: return value is null || !string.Equals(value, Values[0], StringComparison.OrdinalIgnoreCase);
            case Operator.In: return value is not null && Values.Any(v => string.Equals(value, v, StringComparison.OrdinalIgnoreCase));
            case Operator.NotIn: return value is null || !Values.Any(v => string.Equals(value, v, StringComparison.OrdinalIgnoreCase));
        }
        if (value is null) return false;
        double actual;
        if (_isDate) { if (!TryDate(value, out var d)) return false; actual = d.Ticks; }
        else if (CustomerAttributes.Number(value) is { } n) actual = n;
        else return false;
        return Op switch
        {
            Operator.Less => actual < _number,
            Operator.LessOrEqual => actual <= _number,
            Operator.Greater => actual > _number,
            _ => actual >= _number,
        };
    }

    private static bool TryDate(string value, out DateTime date) =>
        DateTime.TryParseExact(value, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd HH:mm:ss"],
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date);

    public override string ToString()
    {
        var op = Op switch
        {
            Operator.Equal => "=", Operator.NotEqual => "!=", Operator.Less => "<", Operator.LessOrEqual => "<=",
            Operator.Greater => ">", Operator.GreaterOrEqual => ">=", Operator.In => "IN", _ => "NOT IN",
        };
        return Op is Operator.In or Operator.NotIn
            ? $"{Field} {op} ({string.Join(", ", Values.Select(Quote))})"
            : $"{Field} {op} {Quote(Values[0])}";
    }

    private static string Quote(string value) =>
        value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '+' or '/' or '@') && !IsKeyword(value)
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static bool IsKeyword(string value) => value.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IN";
}

internal abstract record SegmentNode
{
    public abstract bool Evaluate(Func<int, bool> holds);
}

internal sealed record ConditionLeaf(Condition Condition) : SegmentNode
{
    public override bool Evaluate(Func<int, bool> holds) => holds(Condition.Index);
    public override string ToString() => Condition.ToString();
}

internal sealed record AndNode(SegmentNode Left, SegmentNode Right) : SegmentNode
{
    public override bool Evaluate(Func<int, bool> holds) => Left.Evaluate(holds) && Right.Evaluate(holds);
    public override string ToString() => $"{Wrap(Left)} AND {Wrap(Right)}";
    private static string Wrap(SegmentNode n) => n is OrNode ? $"({n})" : n.ToString();
}

internal sealed record OrNode(SegmentNode Left, SegmentNode Right) : SegmentNode
{
    public override bool Evaluate(Func<int, bool> holds) => Left.Evaluate(holds) || Right.Evaluate(holds);
    public override string ToString() => $"{Left} OR {Right}";
}

internal sealed record NotNode(SegmentNode Inner) : SegmentNode
{
    public override bool Evaluate(Func<int, bool> holds) => !Inner.Evaluate(holds);
    public override string ToString() => Inner is ConditionLeaf ? $"NOT {Inner}" : $"NOT ({Inner})";
}
