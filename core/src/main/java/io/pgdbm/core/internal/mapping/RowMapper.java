package io.pgdbm.core.internal.mapping;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** Reads whole rows into {@link DefaultRow}s; the column shape is shared by every row of the statement. Internal. */
final class RowMapper extends ResultMapper<DefaultRow> {

    private final DefaultRow.Shape shape;
    private final ColumnReader[] readers;
    private final String[] typeNames;

    private final ReadContext context;

    private RowMapper(String[] labels, ColumnReader[] readers, String[] typeNames, ReadContext context) {
        super(io.pgdbm.Row.class, labels);
        this.shape = new DefaultRow.Shape(labels, typeNames, context);
        this.readers = readers;
        this.typeNames = typeNames;
        this.context = context;
    }

    static RowMapper create(ResultSetMetaData metaData, ReadContext context) throws SQLException {
        String[] labels = labels(metaData);
        ColumnReader[] readers = new ColumnReader[labels.length];
        String[] typeNames = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            readers[i] = ColumnReaders.forColumn(metaData, i + 1);
            typeNames[i] = metaData.getColumnTypeName(i + 1);
        }
        return new RowMapper(labels, readers, typeNames, context);
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
        int i = 0;
        try {
            for (; i < readers.length; i++) {
                values[i] = readers[i].read(resultSet, i + 1);
            }
        } catch (SQLException | RuntimeException e) {
            // A column the driver cannot turn into the Java type of its SQL type (money, an odd array).
            throw ReadFailures.reading(e, resultSet, i + 1, Object.class, null, context);
        }
        return new DefaultRow(shape, values);
    }
}
