package io.pgdbm.core.internal.mapping;

import io.pgdbm.PgdbmException;
import io.pgdbm.Row;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fully read row. Internal; users see {@link Row}. */
final class DefaultRow implements Row {

    /** Column labels and their positions, shared by every row of one result shape. */
    static final class Shape {

        private final List<String> columns;
        private final Map<String, Integer> positions;
        private final String[] typeNames;
        private final ReadContext context;
        private final String module;

        Shape(String[] labels, String[] typeNames, ReadContext context) {
            this.columns = List.of(labels);
            this.typeNames = typeNames;
            this.context = context;
            this.module = context.module();
            Map<String, Integer> map = new HashMap<>();
            for (int i = labels.length - 1; i >= 0; i--) {
                map.put(labels[i], i);
            }
            this.positions = map;
        }
    }

    private final Shape shape;
    private final Object[] values;

    DefaultRow(Shape shape, Object[] values) {
        this.shape = shape;
        this.values = values;
    }

    @Override
    public List<String> columns() {
        return shape.columns;
    }

    @Override
    public Object get(String column) {
        return values[position(column)];
    }

    @Override
    public <T> T get(String column, Class<T> type) {
        int position = position(column);
        Object value = values[position];
        try {
            return Conversions.convert(value, type);
        } catch (Conversions.Unconvertible e) {
            throw ReadFailures.converting(e, shape.context, shape.columns.get(position), shape.typeNames[position],
                    type, value);
        }
    }

    @Override
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.putIfAbsent(shape.columns.get(i), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    private int position(String column) {
        Integer position = shape.positions.get(column);
        if (position != null) {
            return position;
        }
        for (int i = 0; i < shape.columns.size(); i++) {
            if (shape.columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new PgdbmException(shape.module + " - no column '" + column + "' in this row; its columns are "
                + shape.columns + " (names are matched exactly, then ignoring case)");
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Row{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            Object value = values[i];
            text.append(shape.columns.get(i)).append('=')
                    .append(value != null && value.getClass().isArray()
                            ? Arrays.deepToString(ArrayLiterals.boxed(value)) : value);
        }
        return text.append('}').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DefaultRow row && row.shape.columns.equals(shape.columns)
                && Arrays.deepEquals(row.values, values);
    }

    @Override
    public int hashCode() {
        return shape.columns.hashCode() * 31 + Arrays.deepHashCode(values);
    }
}
