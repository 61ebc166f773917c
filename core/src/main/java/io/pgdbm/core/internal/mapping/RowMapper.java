package io.pgdbm.core.internal.mapping;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** Reads whole rows into {@link DefaultRow}s; the column shape is shared by every row of the statement. Internal. */
final class RowMapper extends ResultMapper<DefaultRow> {

    private final DefaultRow.Shape shape;
    private final ColumnReader[] readers;
    private final String[] typeNames;

    private RowMapper(String[] labels, ColumnReader[] readers, String[] typeNames, String module) {
        super(io.pgdbm.Row.class, labels);
        this.shape = new DefaultRow.Shape(labels, module);
        this.readers = readers;
        this.typeNames = typeNames;
    }

    static RowMapper create(ResultSetMetaData metaData, String module) throws SQLException {
        String[] labels = labels(metaData);
        ColumnReader[] readers = new ColumnReader[labels.length];
        String[] typeNames = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            readers[i] = ColumnReaders.forColumn(metaData, i + 1);
            typeNames[i] = metaData.getColumnTypeName(i + 1);
        }
        return new RowMapper(labels, readers, typeNames, module);
    }

    @Override
    boolean sameColumnTypes(ResultSetMetaData metaData) throws SQLException {
        for (int i = 0; i < typeNames.length; i++) {
            if (!typeNames[i].equals(metaData.getColumnTypeName(i + 1))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public DefaultRow map(ResultSet resultSet) throws SQLException {
        Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = readers[i].read(resultSet, i + 1);
        }
        return new DefaultRow(shape, values);
    }
}
