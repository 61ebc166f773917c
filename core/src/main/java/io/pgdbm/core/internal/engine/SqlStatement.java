package io.pgdbm.core.internal.engine;

import io.pgdbm.core.internal.mapping.Mappers;
import io.pgdbm.core.internal.mapping.ResultMapper;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One SQL text as a module renders it, cached so a hot query pays template parsing and mapper construction once.
 * Holds the mapper last used with it: almost every statement is mapped to one type, so one slot is enough.
 */
final class SqlStatement {

    final String text;
    final int version;
    private volatile ResultMapper<?> mapper;

    SqlStatement(String text, int version) {
        this.text = text;
        this.version = version;
    }

    @SuppressWarnings("unchecked")
    <T> ResultMapper<T> mapper(Class<T> type, ResultSet resultSet, String module) throws SQLException {
        ResultMapper<?> cached = mapper;
        if (cached != null && cached.fits(type, resultSet)) {
            return (ResultMapper<T>) cached;
        }
        ResultMapper<T> created = Mappers.create(type, resultSet, module);
        mapper = created;
        return created;
    }
}
