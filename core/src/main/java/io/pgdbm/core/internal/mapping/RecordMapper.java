package io.pgdbm.core.internal.mapping;

import io.pgdbm.PgdbmException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Maps a row to a record through its canonical constructor. Components are matched to column labels ignoring case
 * and underscores ({@code created_at} fills {@code createdAt}); columns no component wants are ignored. The matching
 * and the choice of readers happen once per statement; each row then costs one array and one constructor call.
 * Internal.
 */
final class RecordMapper<T> extends ResultMapper<T> {

    private final Class<T> type;
    private final Constructor<T> constructor;
    private final int[] columns;
    private final ColumnReader[] readers;
    private final RecordComponent[] components;
    /** {@code Account.id} for each component, as failed conversions name it. */
    private final String[] names;
    private final String context;
    private final ReadContext reads;

    private RecordMapper(Class<T> type, String[] labels, Constructor<T> constructor, int[] columns,
            ColumnReader[] readers, RecordComponent[] components, String context, ReadContext reads) {
        super(type, labels);
        this.type = type;
        this.constructor = constructor;
        this.columns = columns;
        this.readers = readers;
        this.components = components;
        this.names = new String[components.length];
        for (int c = 0; c < components.length; c++) {
            names[c] = type.getSimpleName() + "." + components[c].getName();
        }
        this.context = context;
        this.reads = reads;
    }

    /**
     * @param context what setup failures are prefixed with, e.g. {@code users - mapping to Account}
     * @param reads where values are read, for failed conversions
     */
    static <T> RecordMapper<T> create(Class<T> type, ResultSetMetaData metaData, String context, ReadContext reads)
            throws SQLException {
        String[] labels = labels(metaData);
        String[] normalisedLabels = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            normalisedLabels[i] = normalise(labels[i]);
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        int[] columns = new int[components.length];
        ColumnReader[] readers = new ColumnReader[components.length];
        for (int c = 0; c < components.length; c++) {
            RecordComponent component = components[c];
            parameterTypes[c] = component.getType();
            String wanted = normalise(component.getName());
            int found = -1;
            for (int i = 0; i < labels.length; i++) {
                if (normalisedLabels[i].equals(wanted)) {
                    if (found >= 0) {
                        throw new PgdbmException(context + ": columns '" + labels[found] + "' and '" + labels[i]
                                + "' both match " + type.getSimpleName() + "." + component.getName()
                                + "; alias one of them (AS ...)");
                    }
                    found = i;
                }
            }
            if (found < 0) {
                throw new PgdbmException(context + ": " + type.getSimpleName() + "." + component.getName()
                        + " has no matching column; the query returns " + Arrays.toString(labels)
                        + "; select or alias a column named " + snakeCase(component.getName()) + " or "
                        + component.getName());
            }
            columns[c] = found + 1;
            readers[c] = ColumnReaders.forJavaType(component.getType());
            if (readers[c] == null) {
                throw new PgdbmException(context + ": " + type.getSimpleName() + "." + component.getName()
                        + " has type " + component.getGenericType().getTypeName() + ", which pgdbm cannot read "
                        + "from a column; use String, a boxed primitive, BigDecimal, UUID, a java.time type, byte[], "
                        + "an enum, an array or Object");
            }
        }
        Constructor<T> constructor;
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new PgdbmException(context + ": cannot use the canonical constructor of " + type.getName() + ": "
                    + e.getMessage(), e);
        }
        return new RecordMapper<>(type, labels, constructor, columns, readers, components, context, reads);
    }

    @Override
    public T map(ResultSet resultSet) throws SQLException {
        Object[] arguments = new Object[columns.length];
        int c = 0;
        try {
            for (; c < columns.length; c++) {
                Object value = readers[c].read(resultSet, columns[c]);
                if (value == null && components[c].getType().isPrimitive()) {
                    throw ReadFailures.nullForPrimitive(reads, resultSet, columns[c], components[c].getType(),
                            names[c]);
                }
                arguments[c] = value;
            }
        } catch (SQLException | Conversions.Unconvertible | IllegalArgumentException | ArithmeticException
                | DateTimeException | ClassCastException e) {
            throw ReadFailures.reading(e, resultSet, columns[c], components[c].getType(), names[c], reads);
        }
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new PgdbmException(context + ": the constructor of " + type.getSimpleName() + " failed: " + cause,
                    cause);
        } catch (ReflectiveOperationException e) {
            throw new PgdbmException(context + ": cannot create " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static String normalise(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
