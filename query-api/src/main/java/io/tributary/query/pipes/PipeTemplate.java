package io.tributary.query.pipes;

import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of one pipe section, parsed once at load time (see {@link PipeTemplateParser}) and
 * rendered per request into a {@link BoundQuery}: every {@code {{param}}} becomes {@code ?} plus a
 * typed {@link QueryParam}, never text, so request values cannot change the statement.
 *
 * <p>{@code pageLimitParam} names the parameter of the statement's final {@code LIMIT {{p}}}; that
 * placeholder is bound to {@code p + 1} so the engine can tell whether more rows exist.
 */
public record PipeTemplate(String section, List<Node> nodes, Optional<String> pageLimitParam) {

    /** The implicit parameter every pipe gets from the caller's token. */
    public static final String WORKSPACE_ID = "workspace_id";

    public PipeTemplate {
        nodes = List.copyOf(nodes);
    }

    /** A piece of the template. */
    public sealed interface Node permits Text, Placeholder, Conditional {
    }

    /** SQL copied as is (string literals and comments included). */
    public record Text(String sql) implements Node {
    }

    /** {@code {{param}}}; {@code pageLimit} marks the final {@code LIMIT {{p}}}. */
    public record Placeholder(String param, ValueType type, int line, boolean pageLimit) implements Node {
    }

    /** {@code {% if [not] defined(param) %} then [{% else %} otherwise] {% end %}}. */
    public record Conditional(String param, boolean negated, List<Node> then, List<Node> otherwise, int line) implements Node {
        public Conditional {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /**
     * Renders the statement for {@code arguments}: the request's parsed values plus
     * {@link #WORKSPACE_ID}; an optional parameter without a value is absent from the map.
     */
    public BoundQuery render(Map<String, Object> arguments) {
        StringBuilder sql = new StringBuilder();
        List<QueryParam> params = new ArrayList<>();
        append(nodes, arguments, sql, params);
        return new BoundQuery(sql.toString().strip(), params);
    }

    private static void append(List<Node> nodes, Map<String, Object> arguments, StringBuilder sql, List<QueryParam> params) {
        for (Node node : nodes) {
            if (node instanceof Text text) {
                sql.append(text.sql());
            } else if (node instanceof Placeholder placeholder) {
                Object value = arguments.get(placeholder.param());
                if (value == null) {
                    // the parser only lets a placeholder stand where its parameter is defined
                    throw new IllegalStateException("no value for {{" + placeholder.param() + "}}");
                }
                sql.append('?');
                params.add(placeholder.pageLimit()
                        ? QueryParam.int64(((Number) value).longValue() + 1)
                        : new QueryParam(placeholder.type(), value));
            } else if (node instanceof Conditional conditional) {
                boolean defined = arguments.containsKey(conditional.param());
                append(defined != conditional.negated() ? conditional.then() : conditional.otherwise(), arguments, sql, params);
            }
        }
    }
}
