package io.pgdbm.core.internal.mapping;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one column of the current row; SQL NULL is {@code null}. Internal. */
@FunctionalInterface
public interface ColumnReader {

    Object read(ResultSet resultSet, int column) throws SQLException;
}
