package io.pgdbm.core.internal.sql;

import io.pgdbm.TemplateException;

/**
 * Expands {@code {{tables.t}}}, {@code {{tables.m.t}}} and {@code {{schema}}}. Internal.
 *
 * <p>What counts as a placeholder: a {@code {{...}}} whose content starts, after optional spaces, with a letter or an
 * underscore and holds no brace or comma. Such a placeholder must be exactly one of the three supported forms with
 * valid names, or rendering fails with a {@link TemplateException} before anything is sent (so {@code {{table.x}}},
 * {@code {{ tables.x }}} and {@code {{tables.x"; drop table y}}} are all caught). Other double braces, such as the
 * two-dimensional array literal {@code '{{1,2},{3,4}}'} or JSON text, are left alone.
 */
public final class TemplateRenderer {

    private static final String SUPPORTED = "supported placeholders are {{tables.<table>}}, "
            + "{{tables.<module>.<table>}} and {{schema}}";

    private TemplateRenderer() {
    }

    /**
     * Renders {@code sql} for a module.
     *
     * @param module the module's name, for messages
     * @param schema the module's effective schema (already valid)
     * @param modules resolves other modules' schemas for {@code {{tables.m.t}}}
     */
    public static String render(String sql, String module, String schema, ModuleSchemas modules) {
        int open = sql.indexOf("{{");
        if (open < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 32);
        int copied = 0;
        while (open >= 0) {
            int close = sql.indexOf("}}", open + 2);
            String content = close < 0 ? sql.substring(open + 2) : sql.substring(open + 2, close);
            if (!isPlaceholder(content)) {
                open = sql.indexOf("{{", open + 1);
                continue;
            }
            if (close < 0) {
                throw new TemplateException(module + " - unterminated placeholder '" + abbreviate(sql.substring(open))
                        + "' at position " + (open + 1) + ": close it with }}; " + SUPPORTED
                        + ". Nothing was sent to the server.", sql.substring(open));
            }
            String placeholder = sql.substring(open, close + 2);
            out.append(sql, copied, open).append(expand(placeholder, content, open, module, schema, modules));
            copied = close + 2;
            open = sql.indexOf("{{", copied);
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    /**
     * Everything in double braces is a placeholder, and so must be valid, except what is plainly a literal: content
     * that starts (after spaces) with a digit, a sign, a quote or a brace, or that holds a comma, as array literals
     * ({@code '{{1,2},{3,4}}'}, {@code '{{"a","b"}}'}) and JSON text do.
     */
    private static boolean isPlaceholder(String content) {
        int i = 0;
        while (i < content.length() && Character.isWhitespace(content.charAt(i))) {
            i++;
        }
        if (i < content.length()) {
            char first = content.charAt(i);
            if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '"' || first == '\''
                    || first == '{') {
                return false;
            }
        }
        return content.indexOf(',') < 0;
    }

    private static String expand(String placeholder, String content, int position, String module, String schema,
            ModuleSchemas modules) {
        if (!content.equals(content.strip())) {
            throw invalid(module, placeholder, position, "no spaces are allowed inside the braces; " + SUPPORTED);
        }
        if (content.equals("schema")) {
            return Identifiers.quote(schema);
        }
        if (!content.startsWith("tables.")) {
            throw invalid(module, placeholder, position, "unknown placeholder; " + SUPPORTED);
        }
        String[] parts = content.substring("tables.".length()).split("\\.", -1);
        if (parts.length > 2) {
            throw invalid(module, placeholder, position, "too many dots; " + SUPPORTED);
        }
        for (String part : parts) {
            if (!Identifiers.isValid(part)) {
                throw invalid(module, placeholder, position, "'" + abbreviate(part) + "' is not a valid name: "
                        + Identifiers.explain());
            }
        }
        if (parts.length == 1) {
            return Identifiers.quote(schema) + '.' + Identifiers.quote(parts[0]);
        }
        String other = modules.schemaOf(parts[0]);
        return Identifiers.quote(other != null ? other : parts[0]) + '.' + Identifiers.quote(parts[1]);
    }

    private static TemplateException invalid(String module, String placeholder, int position, String why) {
        return new TemplateException(module + " - invalid placeholder " + abbreviate(placeholder) + " at position "
                + (position + 1) + ": " + why + ". Nothing was sent to the server.", placeholder);
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
