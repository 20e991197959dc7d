package io.tributary.query.pipes;

import io.tributary.platform.store.StoreDialect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses a {@code .pipe} file (grammar in query-api/README.md). A file is a sequence of sections,
 * each a header line in column 1 followed by its indented body:
 *
 * <pre>
 * DESCRIPTION &gt;                     free text
 * PARAM name Type [options]          optional indented description
 * SQL &gt;  or  SQL &lt;dialect&gt; &gt;        the template (see {@link PipeTemplateParser})
 * </pre>
 *
 * Blank lines separate sections; lines starting with {@code #} in column 1 are comments. Every
 * problem fails with {@code file:line: what is wrong}.
 */
public final class PipeFileParser {
    public static final String EXTENSION = ".pipe";

    private static final Pattern PIPE_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DESCRIPTION_HEADER = Pattern.compile("DESCRIPTION\\s*>");
    private static final Pattern SQL_HEADER = Pattern.compile("SQL(?:\\s+(\\S+))?\\s*>");
    /** Names a request may not use for a parameter: the workspace comes from the token, and Tinybird's token is reserved. */
    private static final Set<String> RESERVED = Set.of(PipeTemplate.WORKSPACE_ID, "token");
    private static final String OPTIONS = "required, default=<value>, min=<number>, max=<number>, values=<a|b|...>";

    private final String file;
    private final List<String> lines;

    private PipeFileParser(String file, String text) {
        this.file = file;
        this.lines = Arrays.stream(text.split("\n", -1)).map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
    }

    /** Parses {@code text}, the content of the file named {@code fileName} (e.g. {@code customer_activity.pipe}). */
    public static PipeDefinition parse(String fileName, String text) {
        return new PipeFileParser(fileName, text).parse();
    }

    /** A section body: its lines dedented, and the file line of its first line. */
    private record Body(List<String> lines, int firstLine) {
        String text() {
            return String.join("\n", lines);
        }
    }

    private record SqlSection(String header, int headerLine, Body body) {
    }

    private PipeDefinition parse() {
        if (!file.endsWith(EXTENSION) || !PIPE_NAME.matcher(file.substring(0, file.length() - EXTENSION.length())).matches()) {
            throw new PipeDefinitionException(file, 0, "a pipe file is named <name>.pipe, the name made of letters, digits and _");
        }
        String name = file.substring(0, file.length() - EXTENSION.length());
        String description = null;
        Map<String, PipeParam> params = new LinkedHashMap<>();
        SqlSection sharedSql = null;
        Map<StoreDialect, SqlSection> dialectSql = new EnumMap<>(StoreDialect.class);

        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            int lineNo = i + 1;
            if (line.isBlank() || line.startsWith("#")) {
                i++;
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                throw error(lineNo, "indented line outside a section: bodies follow a DESCRIPTION >, PARAM or SQL > line");
            }
            String header = line.strip();
            Body body = body(i + 1);
            i = body.firstLine() - 1 + body.lines().size();
            Matcher sql = SQL_HEADER.matcher(header);
            if (DESCRIPTION_HEADER.matcher(header).matches()) {
                if (description != null) {
                    throw error(lineNo, "second DESCRIPTION section");
                }
                if (body.lines().isEmpty()) {
                    throw error(lineNo, "empty DESCRIPTION: write the text on the indented lines below it");
                }
                description = body.text();
            } else if (header.startsWith("PARAM ") || header.equals("PARAM")) {
                PipeParam param = param(header, lineNo,
                        body.lines().stream().filter(l -> !l.isBlank()).collect(Collectors.joining(" ")));
                if (params.containsKey(param.name())) {
                    throw error(lineNo, "parameter '" + param.name() + "' is declared twice (first on line "
                            + params.get(param.name()).line() + ")");
                }
                params.put(param.name(), param);
            } else if (sql.matches()) {
                if (body.lines().isEmpty()) {
                    throw error(lineNo, "empty " + header + " section: write the SQL on the indented lines below it");
                }
                SqlSection section = new SqlSection(header.substring(0, header.length() - 1).strip(), lineNo, body);
                if (sql.group(1) == null) {
                    if (sharedSql != null) {
                        throw error(lineNo, "second SQL > section (first on line " + sharedSql.headerLine() + ")");
                    }
                    sharedSql = section;
                } else {
                    StoreDialect dialect = dialect(sql.group(1), lineNo);
                    SqlSection previous = dialectSql.put(dialect, section);
                    if (previous != null) {
                        throw error(lineNo, "second SQL " + dialect.id() + " > section (first on line " + previous.headerLine() + ")");
                    }
                }
            } else {
                throw error(lineNo, "unexpected line '" + header + "': expected DESCRIPTION >, PARAM <name> <Type> [options], "
                        + "SQL > or SQL <dialect> >");
            }
        }
        return definition(name, description == null ? "" : description, params, sharedSql, dialectSql);
    }

    private PipeDefinition definition(String name, String description, Map<String, PipeParam> params,
                                      SqlSection sharedSql, Map<StoreDialect, SqlSection> dialectSql) {
        Map<StoreDialect, PipeTemplate> templates = new EnumMap<>(StoreDialect.class);
        Map<StoreDialect, SqlSection> sources = new EnumMap<>(StoreDialect.class);
        for (StoreDialect dialect : StoreDialect.values()) {
            SqlSection section = dialectSql.getOrDefault(dialect, sharedSql);
            if (section == null) {
                throw error(0, "no SQL for the " + dialect.id() + " store: add a SQL > section (shared by all stores) or SQL "
                        + dialect.id() + " >");
            }
            sources.put(dialect, section);
            // ClickHouse also escapes quotes with a backslash; lexing shared SQL once per dialect
            // makes a literal the two stores would read differently fail here rather than at query time
            templates.put(dialect, PipeTemplateParser.parse(file, section.header(), section.headerLine(), section.body().text(),
                    section.body().firstLine(), params, dialect == StoreDialect.CLICKHOUSE));
        }
        for (StoreDialect dialect : StoreDialect.values()) {
            Set<String> used = PipeTemplateParser.referencedParams(templates.get(dialect).nodes());
            SqlSection section = sources.get(dialect);
            for (PipeParam param : params.values()) {
                if (!used.contains(param.name())) {
                    throw error(param.line(), "parameter '" + param.name() + "' is never used in " + section.header()
                            + " (line " + section.headerLine() + "): use it or remove it, so requests cannot pass values that are ignored");
                }
            }
            Optional<String> pageLimit = templates.get(dialect).pageLimitParam();
            Optional<String> sharedPageLimit = templates.get(StoreDialect.DUCKDB).pageLimitParam();
            if (!pageLimit.equals(sharedPageLimit)) {
                throw error(section.headerLine(), section.header() + " must end with the same LIMIT {{...}} as "
                        + sources.get(StoreDialect.DUCKDB).header() + " (" + sharedPageLimit.map(p -> "LIMIT {{" + p + "}}").orElse("none")
                        + "), so that rows_before_limit_at_least means the same on every store");
            }
        }
        return new PipeDefinition(file.substring(0, file.length() - EXTENSION.length()), description,
                List.copyOf(params.values()), templates);
    }

    /** The blank or indented lines after line index {@code start}, dedented; trailing blank lines dropped. */
    private Body body(int start) {
        int end = start;
        while (end < lines.size() && (lines.get(end).isBlank() || Character.isWhitespace(lines.get(end).charAt(0)))) {
            end++;
        }
        while (end > start && lines.get(end - 1).isBlank()) {
            end--;
        }
        List<String> raw = lines.subList(start, end);
        int indent = raw.stream().filter(l -> !l.isBlank()).mapToInt(PipeFileParser::indentation).min().orElse(0);
        List<String> dedented = raw.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
        return new Body(dedented, start + 1);
    }

    private static int indentation(String line) {
        int n = 0;
        while (n < line.length() && Character.isWhitespace(line.charAt(n))) {
            n++;
        }
        return n;
    }

    private StoreDialect dialect(String id, int lineNo) {
        for (StoreDialect dialect : StoreDialect.values()) {
            if (dialect.id().equals(id)) {
                return dialect;
            }
        }
        throw error(lineNo, "unknown dialect '" + id + "' in SQL " + id + " >: expected one of "
                + Arrays.stream(StoreDialect.values()).map(StoreDialect::id).collect(Collectors.joining(", ")));
    }

    private PipeParam param(String header, int lineNo, String description) {
        List<String> tokens = tokens(header, lineNo);
        if (tokens.size() < 3) {
            throw error(lineNo, "PARAM needs a name and a type: PARAM <name> <Type> [" + OPTIONS + "]");
        }
        String name = tokens.get(1);
        if (!PARAM_NAME.matcher(name).matches()) {
            throw error(lineNo, "invalid parameter name '" + name + "': use letters, digits and _, not starting with a digit");
        }
        if (RESERVED.contains(name)) {
            throw error(lineNo, "parameter name '" + name + "' is reserved" + (name.equals(PipeTemplate.WORKSPACE_ID)
                    ? ": {{workspace_id}} is implicit and comes from the caller's token" : ": ?token= carries the caller's token"));
        }
        PipeParamType type = PipeParamType.byName(tokens.get(2)).orElseThrow(() -> error(lineNo,
                "unknown type '" + tokens.get(2) + "' for parameter '" + name + "': expected one of " + PipeParamType.names()));

        boolean required = false;
        Map<String, String> options = new LinkedHashMap<>();
        for (String token : tokens.subList(3, tokens.size())) {
            if (token.equals("required")) {
                if (required) {
                    throw error(lineNo, "option 'required' given twice");
                }
                required = true;
                continue;
            }
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            if (eq < 0 || !Set.of("default", "min", "max", "values").contains(key)) {
                throw error(lineNo, "unknown option '" + token + "' for parameter '" + name + "': expected " + OPTIONS);
            }
            if (options.put(key, token.substring(eq + 1)) != null) {
                throw error(lineNo, "option '" + key + "' given twice");
            }
        }
        if (required && options.containsKey("default")) {
            throw error(lineNo, "parameter '" + name + "' is required and has a default: keep one");
        }
        if ((options.containsKey("min") || options.containsKey("max")) && !type.isNumeric()) {
            throw error(lineNo, "min= and max= apply to numeric types only, not " + type.typeName());
        }
        if (options.containsKey("values") && type != PipeParamType.STRING) {
            throw error(lineNo, "values= applies to String parameters only, not " + type.typeName());
        }
        Optional<Object> min = optionValue(options, "min", type, name, lineNo);
        Optional<Object> max = optionValue(options, "max", type, name, lineNo);
        if (min.isPresent() && max.isPresent() && PipeParamType.numeric(min.get()).compareTo(PipeParamType.numeric(max.get())) > 0) {
            throw error(lineNo, "min=" + min.get() + " is greater than max=" + max.get());
        }
        List<String> allowed = List.of();
        if (options.containsKey("values")) {
            allowed = List.of(options.get("values").split("\\|", -1));
            if (allowed.stream().anyMatch(String::isEmpty)) {
                throw error(lineNo, "values= lists allowed values separated by |, none of them empty");
            }
        }
        Optional<Object> defaultValue = optionValue(options, "default", type, name, lineNo);
        PipeParam param = new PipeParam(name, type, required, defaultValue, Optional.ofNullable(options.get("default")),
                min, max, allowed, description, lineNo);
        if (defaultValue.isPresent()) {
            try {
                param.check(defaultValue.get());
            } catch (ParamValueException e) {
                throw error(lineNo, "default=" + options.get("default") + " of parameter '" + name + "' " + e.getMessage());
            }
        }
        return param;
    }

    private Optional<Object> optionValue(Map<String, String> options, String key, PipeParamType type, String name, int lineNo) {
        String text = options.get(key);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(type.parse(text));
        } catch (ParamValueException e) {
            throw error(lineNo, key + "=" + text + " of parameter '" + name + "' " + e.getMessage());
        }
    }

    /** Splits a PARAM line on blanks; a value may be quoted to hold blanks: default="2023-01-01 00:00:00". */
    private List<String> tokens(String header, int lineNo) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (int k = 0; k < header.length(); k++) {
            char c = header.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    token.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(token.toString());
                    token.setLength(0);
                    inToken = false;
                }
            } else {
                token.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw error(lineNo, "unterminated quote " + quote + " in PARAM line");
        }
        if (inToken) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    private PipeDefinitionException error(int lineNo, String problem) {
        return new PipeDefinitionException(file, lineNo, problem);
    }
}
