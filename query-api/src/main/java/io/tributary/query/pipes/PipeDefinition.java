package io.tributary.query.pipes;

import io.tributary.platform.store.StoreDialect;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One pipe endpoint as its file declares it: name (the file name without {@code .pipe}),
 * description, parameters in declaration order, and the SQL template each store dialect runs.
 */
public record PipeDefinition(String name, String description, List<PipeParam> params,
                             Map<StoreDialect, PipeTemplate> templates) {

    public PipeDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        params = List.copyOf(params);
        templates = Map.copyOf(new EnumMap<>(templates));
        for (StoreDialect dialect : StoreDialect.values()) {
            if (!templates.containsKey(dialect)) {
                throw new IllegalArgumentException("pipe " + name + " has no SQL for " + dialect.id());
            }
        }
    }

    public PipeTemplate template(StoreDialect dialect) {
        return templates.get(dialect);
    }

    public Optional<PipeParam> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** The parameter of the final {@code LIMIT {{p}}}, the same in every dialect (the parser checks). */
    public Optional<String> pageLimitParam() {
        return templates.get(StoreDialect.DUCKDB).pageLimitParam();
    }
}
