package io.pgdbm.core.internal.engine;

import io.pgdbm.core.internal.mapping.Mappers;
import io.pgdbm.core.internal.mapping.ReadContext;
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
    /** Whether a value read back that cannot be converted may be shown in the message. */
    private final boolean logValues;
    private volatile ResultMapper<?> mapper;

    SqlStatement(String text, int version, boolean logValues) {
        this.text = text;
        this.version = version;
        this.logValues = logValues;
    }

    /** What a failed conversion of a value this statement returns names. */
    ReadContext reads(String module) {
        return new ReadContext(module, text, logValues);
    }

    @SuppressWarnings("unchecked")
    <T> ResultMapper<T> mapper(Class<T> type, ResultSet resultSet, String module) throws SQLException {
        ResultMapper<?> cached = mapper;
        if (cached != null && cached.fits(type, resultSet)) {
            return (ResultMapper<T>) cached;
        }
        ResultMapper<T> created = Mappers.create(type, resultSet, reads(module));
        mapper = created;
        return created;
    }
}
