package io.pgdbm.core.internal.mapping;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** Maps the current row of a result to a value. Built once per statement and result shape, then reused. Internal. */
public abstract class ResultMapper<T> {

    private final Class<?> type;
    private final String[] labels;

    ResultMapper(Class<?> type, String[] labels) {
        this.type = type;
        this.labels = labels;
    }

    /** Maps the row the result set is on. */
    public abstract T map(ResultSet resultSet) throws SQLException;

    /** True when this mapper was built for {@code wanted} and a result of the same columns. */
    public final boolean fits(Class<?> wanted, ResultSet resultSet) throws SQLException {
        if (wanted != type) {
            return false;
        }
        ResultSetMetaData metaData = resultSet.getMetaData();
        if (metaData.getColumnCount() != labels.length) {
            return false;
        }
        for (int i = 0; i < labels.length; i++) {
            if (!labels[i].equals(metaData.getColumnLabel(i + 1))) {
                return false;
            }
        }
        return sameColumnTypes(metaData);
    }

    /**
     * Whether the columns still have the types this mapper was built for. Mappers whose readers follow the Java type
     * wanted do not care; the {@code Row} mapper, whose readers follow the SQL types, does: one SQL text can return
     * other types from one call to the next ({@code SELECT ? AS v}, {@code coalesce(?, ...)}, a column altered).
     */
    boolean sameColumnTypes(ResultSetMetaData metaData) throws SQLException {
        return true;
    }

    static String[] labels(ResultSetMetaData metaData) throws SQLException {
        String[] labels = new String[metaData.getColumnCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = metaData.getColumnLabel(i + 1);
        }
        return labels;
    }
}
