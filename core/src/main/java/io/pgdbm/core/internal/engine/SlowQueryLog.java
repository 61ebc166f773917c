package io.pgdbm.core.internal.engine;

import io.pgdbm.core.SlowQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The most recent slow statements of one datasource: a fixed-size ring, safe to write and read from any thread. */
final class SlowQueryLog {

    private final SlowQuery[] ring;
    private long written;

    SlowQueryLog(int capacity) {
        this.ring = new SlowQuery[capacity];
    }

    synchronized void add(SlowQuery query) {
        ring[(int) (written++ % ring.length)] = query;
    }

    /** Oldest first. */
    synchronized List<SlowQuery> recent() {
        int size = (int) Math.min(written, ring.length);
        List<SlowQuery> result = new ArrayList<>(size);
        for (long i = written - size; i < written; i++) {
            result.add(ring[(int) (i % ring.length)]);
        }
        return result;
    }

    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        written = 0;
    }

    static SlowQuery of(String module, long nanos, String sql, String parameters, String sqlState) {
        return new SlowQuery(Instant.now(), module, java.time.Duration.ofNanos(nanos), sql, parameters, sqlState);
    }
}
