package io.tributary.query.pipes;

import io.tributary.platform.store.ValueType;
import io.tributary.query.pipes.PipeTemplate.Conditional;
import io.tributary.query.pipes.PipeTemplate.Node;
import io.tributary.query.pipes.PipeTemplate.Placeholder;
import io.tributary.query.pipes.PipeTemplate.Text;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the SQL of one pipe section into a {@link PipeTemplate}. String literals, quoted
 * identifiers and comments are copied untouched, so {@code '{{x}}'} in a literal stays text. Fails
 * with the file and line on any mistake, and enforces the rules that keep requests safe: every
 * placeholder names a declared parameter that has a value where it stands, the statement filters
 * on {@code workspace_id = {{workspace_id}}} unconditionally, and a final {@code LIMIT {{p}}} is
 * bounded.
 */
final class PipeTemplateParser {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IF_DEFINED = Pattern.compile("if\\s+(not\\s+)?defined\\s*\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");
    private static final Pattern WORKSPACE_FILTER_BEFORE =
            Pattern.compile("(?i)(?:^|[^A-Za-z0-9_])[\"`]?workspace_id[\"`]?\\s*=\\s*$");
    private static final Pattern LIMIT_BEFORE = Pattern.compile("(?i)(?:^|[^A-Za-z0-9_])LIMIT\\s*$");
    private static final String DIRECTIVES = "{% if defined(p) %}, {% if not defined(p) %}, {% else %} and {% end %}";

    private final String file;
    private final String section;
    private final int sectionLine;
    private final String sql;
    private final Map<String, PipeParam> params;
    private final boolean backslashEscapes;

    private final Deque<Frame> frames = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private int pos;
    private int line;

    /** An open {@code {% if %}} (or the root, with {@code param == null}) and the nodes read into it. */
    private static final class Frame {
        final String param;
        final boolean negated;
        final int line;
        final List<Node> then = new ArrayList<>();
        final List<Node> otherwise = new ArrayList<>();
        boolean inElse;

        Frame(String param, boolean negated, int line) {
            this.param = param;
            this.negated = negated;
            this.line = line;
        }

        List<Node> current() {
            return inElse ? otherwise : then;
        }

        /** The parameter this branch guarantees to be defined, if any. */
        String definedParam() {
            return param != null && negated == inElse ? param : null;
        }
    }

    private PipeTemplateParser(String file, String section, int sectionLine, String sql, int firstLine,
                               Map<String, PipeParam> params, boolean backslashEscapes) {
        this.file = file;
        this.section = section;
        this.sectionLine = sectionLine;
        this.sql = sql;
        this.line = firstLine;
        this.params = params;
        this.backslashEscapes = backslashEscapes;
    }

    /**
     * @param section          the section header, e.g. {@code SQL clickhouse}, for messages
     * @param sectionLine      the header's line
     * @param sql              the section body, dedented, its first line being file line {@code firstLine}
     * @param backslashEscapes whether {@code \'} escapes a quote in string literals (ClickHouse)
     */
    static PipeTemplate parse(String file, String section, int sectionLine, String sql, int firstLine,
                              Map<String, PipeParam> params, boolean backslashEscapes) {
        return new PipeTemplateParser(file, section, sectionLine, sql, firstLine, params, backslashEscapes).parse();
    }

    /** Parameters a template uses, in a placeholder or a {@code defined()} test. */
    static Set<String> referencedParams(List<Node> nodes) {
        Set<String> names = new LinkedHashSet<>();
        collectReferences(nodes, names);
        return names;
    }

    private static void collectReferences(List<Node> nodes, Set<String> names) {
        for (Node node : nodes) {
            if (node instanceof Placeholder p) {
                names.add(p.param());
            } else if (node instanceof Conditional c) {
                names.add(c.param());
                collectReferences(c.then(), names);
                collectReferences(c.otherwise(), names);
            }
        }
    }

    private PipeTemplate parse() {
        frames.push(new Frame(null, false, sectionLine));
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\'') {
                copyQuoted('\'', "string literal", backslashEscapes);
            } else if (c == '"' || c == '`') {
                copyQuoted(c, "quoted identifier", false);
            } else if (sql.startsWith("--", pos)) {
                copyLineComment();
            } else if (sql.startsWith("/*", pos)) {
                copyBlockComment();
            } else if (sql.startsWith("{{", pos)) {
                readPlaceholder();
            } else if (sql.startsWith("{%", pos)) {
                readDirective();
            } else if (c == '?') {
                throw error(line, "'?' is not allowed in pipe SQL: the store binds '?' by position; pass values as {{param}}");
            } else {
                copyChar();
            }
        }
        flushText();
        if (frames.size() > 1) {
            Frame open = frames.peek();
            throw error(open.line, "{% if " + (open.negated ? "not " : "") + "defined(" + open.param + ") %} is never closed with {% end %}");
        }
        List<Node> nodes = frames.pop().then;
        requireWorkspaceFilter(nodes);
        return markPageLimit(nodes);
    }

    private void copyChar() {
        char c = sql.charAt(pos++);
        if (c == '\n') {
            line++;
        }
        text.append(c);
    }

    /** Copies a literal or quoted identifier verbatim; a doubled quote is an escaped quote. */
    private void copyQuoted(char quote, String what, boolean backslash) {
        int startLine = line;
        int start = pos++;
        while (true) {
            if (pos >= sql.length()) {
                throw error(startLine, "unterminated " + what + " (missing closing " + quote + ")");
            }
            char c = sql.charAt(pos);
            if (backslash && c == '\\' && pos + 1 < sql.length()) {
                checkCopied(sql.charAt(pos + 1));
                pos += 2;
            } else if (c == quote) {
                pos++;
                if (pos < sql.length() && sql.charAt(pos) == quote) {
                    pos++;
                } else {
                    break;
                }
            } else {
                checkCopied(c);
                pos++;
            }
        }
        text.append(sql, start, pos);
    }

    private void copyLineComment() {
        int start = pos;
        while (pos < sql.length() && sql.charAt(pos) != '\n') {
            checkCopied(sql.charAt(pos));
            pos++;
        }
        text.append(sql, start, pos);
    }

    private void copyBlockComment() {
        int startLine = line;
        int end = sql.indexOf("*/", pos + 2);
        if (end < 0) {
            throw error(startLine, "unterminated comment (missing */)");
        }
        int start = pos;
        for (; pos < end; pos++) {
            checkCopied(sql.charAt(pos));
        }
        pos = end + 2;
        text.append(sql, start, pos);
    }

    /** Copied text keeps counting lines, and may not hold '?' (BoundQuery counts every '?' as a parameter). */
    private void checkCopied(char c) {
        if (c == '\n') {
            line++;
        } else if (c == '?') {
            throw error(line, "'?' is not allowed in pipe SQL, even in literals or comments: the store binds '?' by position");
        }
    }

    private String tagBody(String open, String close, String example) {
        int end = sql.indexOf(close, pos + 2);
        int newline = sql.indexOf('\n', pos);
        if (end < 0 || (newline >= 0 && newline < end)) {
            throw error(line, "unterminated " + open + " (close it with " + close + " on the same line, e.g. " + example + ")");
        }
        String body = sql.substring(pos + 2, end).strip();
        pos = end + 2;
        return body;
    }

    private void readPlaceholder() {
        int at = line;
        String name = tagBody("{{", "}}", "{{customer_id}}");
        if (!IDENTIFIER.matcher(name).matches()) {
            throw error(at, "{{" + name + "}} is not a parameter name: a placeholder holds exactly one parameter, e.g. {{customer_id}}");
        }
        ValueType type;
        if (name.equals(PipeTemplate.WORKSPACE_ID)) {
            type = ValueType.STRING;
        } else {
            PipeParam param = declared(name, "{{" + name + "}}", at);
            if (!param.alwaysDefined() && !definedHere(name)) {
                throw error(at, "{{" + name + "}} is optional without a default, so it may only appear inside {% if defined("
                        + name + ") %} ... {% end %}");
            }
            type = param.type().valueType();
        }
        flushText();
        frames.peek().current().add(new Placeholder(name, type, at, false));
    }

    private void readDirective() {
        int at = line;
        String body = tagBody("{%", "%}", "{% end %}");
        Matcher ifDefined = IF_DEFINED.matcher(body);
        if (ifDefined.matches()) {
            String name = ifDefined.group(2);
            if (name.equals(PipeTemplate.WORKSPACE_ID)) {
                throw error(at, "defined(workspace_id) is always true: workspace_id comes from the caller's token");
            }
            PipeParam param = declared(name, "defined(" + name + ")", at);
            if (param.alwaysDefined()) {
                throw error(at, "defined(" + name + ") is always true: '" + name + "' is "
                        + (param.required() ? "required" : "defaulted") + ", so the condition is a mistake");
            }
            flushText();
            frames.push(new Frame(name, ifDefined.group(1) != null, at));
        } else if (body.equals("else")) {
            Frame frame = frames.peek();
            if (frame.param == null) {
                throw error(at, "{% else %} without a matching {% if ... %}");
            }
            if (frame.inElse) {
                throw error(at, "second {% else %} in the {% if %} of line " + frame.line);
            }
            flushText();
            frame.inElse = true;
        } else if (body.equals("end")) {
            if (frames.size() == 1) {
                throw error(at, "{% end %} without a matching {% if ... %}");
            }
            flushText();
            Frame closed = frames.pop();
            frames.peek().current().add(new Conditional(closed.param, closed.negated, closed.then, closed.otherwise, closed.line));
        } else {
            throw error(at, "unknown directive {% " + body + " %}: supported are " + DIRECTIVES);
        }
    }

    private PipeParam declared(String name, String usage, int at) {
        PipeParam param = params.get(name);
        if (param == null) {
            throw error(at, usage + " names no declared parameter: declare it with PARAM " + name + " <Type>"
                    + (params.isEmpty() ? "" : " (declared: " + String.join(", ", params.keySet()) + ")"));
        }
        return param;
    }

    private boolean definedHere(String name) {
        for (Frame frame : frames) {
            if (name.equals(frame.definedParam())) {
                return true;
            }
        }
        return false;
    }

    private void flushText() {
        if (text.length() > 0) {
            frames.peek().current().add(new Text(text.toString()));
            text.setLength(0);
        }
    }

    /*
     * Tenant isolation must not depend on authors remembering it: the statement needs, outside any
     * condition, a comparison of a workspace_id column with the caller's workspace.
     */
    private void requireWorkspaceFilter(List<Node> nodes) {
        for (int i = 1; i < nodes.size(); i++) {
            if (nodes.get(i) instanceof Placeholder p && p.param().equals(PipeTemplate.WORKSPACE_ID)
                    && nodes.get(i - 1) instanceof Text t && WORKSPACE_FILTER_BEFORE.matcher(t.sql()).find()) {
                return;
            }
        }
        throw error(sectionLine, section + " does not filter on the caller's workspace: add `workspace_id = {{workspace_id}}` "
                + "to its WHERE clause, outside any {% if %}");
    }

    /*
     * A final "LIMIT {{p}}" makes p the page size: it is bound as p + 1 so the engine learns whether
     * more rows exist (rows_before_limit_at_least). Such a parameter must be bounded, or one request
     * could pull a whole table into memory.
     */
    private PipeTemplate markPageLimit(List<Node> nodes) {
        int last = nodes.size() - 1;
        if (last >= 0 && nodes.get(last) instanceof Text t && t.sql().isBlank()) {
            last--;
        }
        if (last >= 1 && nodes.get(last) instanceof Placeholder p && !p.param().equals(PipeTemplate.WORKSPACE_ID)
                && nodes.get(last - 1) instanceof Text before && LIMIT_BEFORE.matcher(before.sql()).find()) {
            PipeParam param = params.get(p.param());
            if (!param.type().isInteger()) {
                throw error(p.line(), "the page limit LIMIT {{" + p.param() + "}} must be an Int32 or Int64 parameter, not "
                        + param.type().typeName());
            }
            boolean bounded = param.min().isPresent() && PipeParamType.numeric(param.min().get()).compareTo(BigDecimal.ZERO) >= 0
                    && param.max().isPresent();
            if (!bounded) {
                throw error(param.line(), "the page limit parameter '" + p.param()
                        + "' needs min= (0 or more) and max=, so a request cannot ask for unbounded rows");
            }
            List<Node> marked = new ArrayList<>(nodes);
            marked.set(last, new Placeholder(p.param(), p.type(), p.line(), true));
            return new PipeTemplate(section, marked, Optional.of(p.param()));
        }
        return new PipeTemplate(section, nodes, Optional.empty());
    }

    private PipeDefinitionException error(int at, String problem) {
        return new PipeDefinitionException(file, at, problem);
    }
}
