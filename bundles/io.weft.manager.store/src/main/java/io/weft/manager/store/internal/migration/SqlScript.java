package io.weft.manager.store.internal.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an SQL script into statements at semicolons, skipping semicolons inside quoted
 * strings, quoted identifiers and comments. Comments are dropped from the statements.
 *
 * <p>NOTE: PostgreSQL's dollar-quoted strings ({@code $$ ... $$}) are not recognized, so a
 * migration must not use them; function bodies would need that.
 */
final class SqlScript {

    private SqlScript() {
    }

    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"') {
                i = copyQuoted(script, i, current);
            } else if (script.startsWith("--", i)) {
                i = skipLineComment(script, i);
            } else if (script.startsWith("/*", i)) {
                i = skipBlockComment(script, i);
                current.append(' ');
            } else if (c == ';') {
                addStatement(statements, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        addStatement(statements, current);
        return statements;
    }

    /** Copies a quoted string or identifier, where a doubled quote stands for one quote. */
    private static int copyQuoted(String script, int start, StringBuilder current) {
        char quote = script.charAt(start);
        int end = start + 1;
        while (true) {
            end = script.indexOf(quote, end);
            if (end < 0) {
                throw new IllegalArgumentException("Unterminated " + (quote == '\'' ? "string" : "quoted identifier")
                        + " starting at character " + start + " of the script");
            }
            if (end + 1 < script.length() && script.charAt(end + 1) == quote) {
                end += 2;
                continue;
            }
            current.append(script, start, end + 1);
            return end + 1;
        }
    }

    private static int skipLineComment(String script, int start) {
        int end = script.indexOf('\n', start);
        return end < 0 ? script.length() : end;
    }

    private static int skipBlockComment(String script, int start) {
        int end = script.indexOf("*/", start + 2);
        if (end < 0) {
            throw new IllegalArgumentException("Unterminated comment starting at character " + start + " of the script");
        }
        return end + 2;
    }

    private static void addStatement(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
