package io.pgdbm.core.internal.mapping;

import io.pgdbm.PgdbmException;
import io.pgdbm.Row;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;

/** Builds the mapper for a wanted type and a result's columns. Internal. */
public final class Mappers {

    private Mappers() {
    }

    /**
     * The mapper for {@code type}: {@link Row}, a record, or a single value of a supported type.
     *
     * @param reads the module (which prefixes every message), the SQL and whether values may be shown
     */
    @SuppressWarnings("unchecked")
    public static <T> ResultMapper<T> create(Class<T> type, ResultSet resultSet, ReadContext reads)
            throws SQLException {
        ResultSetMetaData metaData = resultSet.getMetaData();
        if (type == Row.class) {
            return (ResultMapper<T>) RowMapper.create(metaData, reads);
        }
        String context = reads.module() + " - mapping to " + type.getSimpleName();
        if (type.isRecord()) {
            return RecordMapper.create(type, metaData, context, reads);
        }
        ColumnReader reader = ColumnReaders.forJavaType(type);
        String[] labels = ResultMapper.labels(metaData);
        if (reader == null) {
            throw new PgdbmException(context + ": " + type.getName() + " is neither a record nor a supported value "
                    + "type (String, the boxed primitives, BigDecimal, UUID, java.time types, byte[], enums, arrays, "
                    + "Row); map to a record or read a Row");
        }
        if (labels.length != 1) {
            throw new PgdbmException(context + ": mapping to " + type.getSimpleName() + " needs a query that returns "
                    + "one column, but this one returns " + labels.length + ": " + Arrays.toString(labels)
                    + "; select one column, or map to a record or Row");
        }
        return new ScalarMapper<>(type, labels, reader, reads);
    }

    /**
     * Reads column 1 as {@code type}, for {@code fetchValue}; a value that cannot become {@code type} throws a
     * {@code QueryException} that names the column and hides the value.
     */
    public static ColumnReader scalarReader(Class<?> type, ReadContext reads) {
        ColumnReader reader = ColumnReaders.forJavaType(type);
        if (reader == null) {
            throw new PgdbmException(reads.module() + ": fetchValue reads one column and cannot produce "
                    + type.getName() + "; use String, a boxed primitive, BigDecimal, UUID, a java.time type, byte[], "
                    + "an enum or an array, or fetchOne(sql, " + type.getSimpleName() + ".class) for records");
        }
        return (resultSet, column) -> ReadFailures.read(reader, resultSet, column, type, null, reads);
    }

    private static final class ScalarMapper<T> extends ResultMapper<T> {

        private final Class<T> type;
        private final ColumnReader reader;
        private final ReadContext reads;

        ScalarMapper(Class<T> type, String[] labels, ColumnReader reader, ReadContext reads) {
            super(type, labels);
            this.type = type;
            this.reader = reader;
            this.reads = reads;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T map(ResultSet resultSet) throws SQLException {
            return (T) ReadFailures.read(reader, resultSet, 1, type, null, reads);
        }
    }
}
