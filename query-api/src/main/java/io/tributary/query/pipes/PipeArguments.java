package io.tributary.query.pipes;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request's parameter values, parsed and checked against the pipe's declarations, defaults
 * applied. An optional parameter without a default that the request leaves out (or sends empty)
 * is absent, which makes {@code defined(p)} false.
 */
public record PipeArguments(Map<String, Object> values) {
    /** Query parameters that are not pipe parameters but are allowed: Tinybird's {@code ?token=}. */
    public static final Set<String> TRANSPORT_PARAMS = Set.of("token");

    public PipeArguments {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses {@code query} (name → values as sent) for {@code pipe}. Strict on purpose: an unknown
     * or repeated parameter is an error rather than silently ignored, because a misspelt filter
     * would otherwise return unfiltered data.
     *
     * @throws ApiException 400 INVALID_PARAMETER naming every offending parameter
     */
    public static PipeArguments parse(PipeDefinition pipe, Map<String, List<String>> query) {
        List<ErrorDetail> problems = new ArrayList<>();
        List<String> unknown = query.keySet().stream()
                .filter(name -> pipe.param(name).isEmpty() && !TRANSPORT_PARAMS.contains(name))
                .sorted().toList();
        if (!unknown.isEmpty()) {
            String accepted = pipe.params().stream().map(PipeParam::name).collect(Collectors.joining(", "));
            for (String name : unknown) {
                problems.add(ErrorDetail.field(name, "is not a parameter of pipe " + pipe.name()
                        + "; accepted: " + (accepted.isEmpty() ? "none" : accepted) + " (and token)"));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (PipeParam param : pipe.params()) {
            List<String> given = query.getOrDefault(param.name(), List.of());
            if (given.size() > 1) {
                problems.add(ErrorDetail.field(param.name(), "was given " + given.size() + " times; give it once"));
                continue;
            }
            // an empty value counts as not given: forms and URL builders send empty fields for "no filter"
            String text = given.isEmpty() || given.get(0).isEmpty() ? null : given.get(0);
            if (text == null) {
                if (param.required()) {
                    problems.add(ErrorDetail.field(param.name(), "is required (" + param.type().expectation() + ")"));
                } else {
                    param.defaultValue().ifPresent(v -> values.put(param.name(), v));
                }
                continue;
            }
            try {
                values.put(param.name(), param.parseValue(text));
            } catch (ParamValueException e) {
                problems.add(ErrorDetail.field(param.name(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            String message = problems.stream().map(p -> "parameter '" + p.field() + "' " + p.message())
                    .collect(Collectors.joining("; "));
            throw new ApiException(400, "INVALID_PARAMETER", message, problems);
        }
        return new PipeArguments(values);
    }

    public boolean defined(String name) {
        return values.containsKey(name);
    }
}
