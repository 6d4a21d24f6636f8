package io.weft.manager.store.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtSemicolons() {
        assertThat(SqlScript.split("CREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }

    @Test
    void keepsSemicolonsInStringsAndIdentifiers() {
        assertThat(SqlScript.split("INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"odd;name\" FROM t"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT \"odd;name\" FROM t");
    }

    @Test
    void dropsComments() {
        String script = "-- header; with a semicolon\nCREATE TABLE a (x INT); /* block; comment */\n"
                + "CREATE TABLE b (y INT) -- trailing; comment\n;";

        assertThat(SqlScript.split(script)).containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }

    @Test
    void keepsCommentMarkersInStrings() {
        assertThat(SqlScript.split("INSERT INTO t VALUES ('-- not a comment', '/* nor this */')"))
                .containsExactly("INSERT INTO t VALUES ('-- not a comment', '/* nor this */')");
    }

    @Test
    void rejectsUnterminatedString() {
        assertThatThrownBy(() -> SqlScript.split("INSERT INTO t VALUES ('open"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unterminated string starting at character 22 of the script");
    }

    @Test
    void ignoresEmptyStatements() {
        assertThat(SqlScript.split(";;\n -- only a comment\n;")).isEmpty();
    }
}
